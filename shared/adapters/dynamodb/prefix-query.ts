import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** One page of the items of a partition whose sort key starts with `prefix` (a tenant's targets, services, integrations). */
export async function queryByPrefix<T>(
  db: DynamoDBDocumentClient,
  table: string,
  partition: string,
  prefix: string,
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const result = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, { partition: { name: 'PK', value: partition }, keys: ['PK', 'SK'], prefixes: [{ name: 'SK', prefix }] }),
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map(map), ...(nextCursor ? { nextCursor } : {}) };
}
