import { CHAIN_COUNT } from '#shared/grant-log/chains';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '#shared/adapters/dynamodb/client';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { DynamoServiceStore } from '#shared/adapters/dynamodb/service-store';
import { DynamoTargetStore } from '#shared/adapters/dynamodb/target-store';
import { eventFromItem } from '#shared/adapters/dynamodb/grant-log-reader';
import { logKeys } from '#shared/adapters/dynamodb/keys';
import type { LogEvent } from '#shared/grant-log/events';

/** The real adapters, pointed at the DynamoDB Local that the global setup started. */
export function dynamoStores() {
  const db = createDocumentClient({ AWS_REGION: inject('region'), DYNAMODB_ENDPOINT: inject('dynamodbEndpoint') });
  const tables = { main: inject('mainTable'), log: inject('logTable') };
  const log = new LogWriter(db, tables);
  return {
    db,
    tables,
    log,
    requests: new DynamoRequestStore(db, tables, log),
    targets: new DynamoTargetStore(db, tables, log),
    services: new DynamoServiceStore(db, tables, log),
    /** Every stored event of a tenant, every chain read strongly consistent, oldest first by (at, chain, seq) (test inspection, not an auditor API). */
    async events(tenantId: string): Promise<LogEvent[]> {
      const out: Array<LogEvent & { chain: number }> = [];
      for (let chain = 0; chain < CHAIN_COUNT; chain++) {
        const input = {
          TableName: tables.log,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ev)',
          ExpressionAttributeValues: { ':pk': logKeys.chain(tenantId, chain), ':ev': logKeys.eventPrefix },
          ConsistentRead: true,
        };
        for await (const page of paginateQuery({ client: db }, input)) for (const item of page.Items ?? []) out.push({ ...eventFromItem(item), chain });
      }
      out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.chain - b.chain || a.seq - b.seq));
      return out.map(({ chain: _c, ...event }) => event);
    },
  };
}

let counter = 0;
/** A tenant id no other test uses, so tests share one DynamoDB Local without seeing each other. */
export function freshTenant(label = 't'): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}`.toLowerCase();
}
