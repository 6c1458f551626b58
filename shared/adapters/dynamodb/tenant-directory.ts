import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantDirectory } from '../../audit/ports.ts';
import type { Tables } from './client.ts';
import { logKeys } from './keys.ts';

const chainPartition = /^T#(.+)#C#\d{2}$/;

/**
 * Every tenant with a grant log, from GSI8 (keys.ts): one entry per chain head, sorted by the head's
 * partition `T#tenant#C#cc`, so a tenant's chains are adjacent. For the scheduled digest run only;
 * a Query, never a Scan. A head written before GSI8 existed appears on its chain's next event.
 */
export class HeadDirectory implements TenantDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Pick<Tables, 'log'>,
  ) {}

  async *tenants(): AsyncIterable<string> {
    let last: string | undefined;
    const input = { TableName: this.tables.log, IndexName: 'GSI8', KeyConditionExpression: 'HEADDIR = :dir', ExpressionAttributeValues: { ':dir': logKeys.headDirectory } };
    for await (const page of paginateQuery({ client: this.db }, input)) {
      for (const item of page.Items ?? []) {
        const tenantId = chainPartition.exec(String(item.PK))?.[1];
        if (tenantId === undefined || tenantId === last) continue;
        last = tenantId;
        yield tenantId;
      }
    }
  }
}
