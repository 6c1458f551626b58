import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { logKeys } from '#shared/adapters/dynamodb/keys';
import type { Principal } from '#shared/kernel/principal';
import { startDynamoDbLocal } from '#dev/dynamodb-local';
import { ensureTables, readTableSpecs } from '#dev/dynamodb-tables';
import { meterQueries } from './capacity.ts';
import { loadEvents } from './grant-log-load.ts';
import { benchHeads, benchTenant } from './grant-log-data.ts';
import { benchExport, benchFilters } from './grant-log-reads.ts';

// Benches run on this machine's Node 20 (Lambda runs 22): no SDK upgrade notice (README, Known limits).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The grant log at volume: load N events into DynamoDB Local, then time the first
// page of every auditor filter with its read cost per item, and a 100,000-event
// export with its peak memory. `npx tsx bench/grant-log.ts`, or via `npm run bench`.
// BENCH_EVENTS (default 1,000,000) sets N; BENCH_LOAD_BUDGET_SECONDS (default 900)
// caps the load: when N would take longer, the bench loads what fits and says so.

export async function main(): Promise<void> {
  const requested = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const budgetMs = Number(process.env.BENCH_LOAD_BUDGET_SECONDS ?? 900) * 1000;
  console.log(`grant-log bench: ${requested.toLocaleString('en')} events requested, load budget ${budgetMs / 1000} s`);

  const local = await startDynamoDbLocal({});
  try {
    const client = new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 8,
    });
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const tables = { main: 'bench-main', log: 'bench-log', idempotency: 'bench-idempotency' };
    await ensureTables(client, readTableSpecs(tables));

    const load = await loadEvents(db, tables.log, requested, budgetMs);
    for (const [chain, head] of benchHeads) await db.send(new PutCommand({ TableName: tables.log, Item: { ...logKeys.head(benchTenant, chain), ...head } }));

    const meter = meterQueries(db);
    const reader = new DynamoGrantLogReader(db, tables);
    const auditor: Principal = { id: 'bench-auditor', kind: 'user', tenantId: benchTenant, roles: ['auditor'], groups: [] };
    await benchFilters(reader, auditor, meter, load.loaded);
    await benchExport(reader, auditor, load.loaded);
    client.destroy();
  } finally {
    await local.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
