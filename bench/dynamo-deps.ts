import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { DynamoTargetStore } from '#shared/adapters/dynamodb/target-store';
import { DynamoServiceStore } from '#shared/adapters/dynamodb/service-store';
import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { DynamoIssuanceStore } from '#shared/adapters/dynamodb/issuance-store';
import { FakeDatabaseSessions, FakeRoleAssumer, FakeSessionStarter, FakeTokenSigner } from '../tests/support/fakes/minting.ts';
import { FakeMetrics } from '../tests/support/fakes/metrics.ts';

/**
 * The real DynamoDB stores and use-case dependencies, for benches on DynamoDB Local; STS, the
 * signer and SSM are in-process fakes, so what is measured is DynamoDB and our code around it.
 */
export function dynamoBenchDeps(db: DynamoDBDocumentClient, tables: { main: string; log: string }) {
  const log = new LogWriter(db, tables);
  let next = 0;
  return {
    clock: { now: () => new Date() },
    ids: { next: (prefix: 'req' | 'tgt' | 'int') => `${prefix}_01JBENCH${String(next++).padStart(12, '0')}${Math.random().toString(36).slice(2, 8)}` },
    targets: new DynamoTargetStore(db, tables, log),
    requests: new DynamoRequestStore(db, tables, log),
    services: new DynamoServiceStore(db, tables, log),
    integrations: new DynamoIntegrationRegistry(db, tables, log),
    issuances: new DynamoIssuanceStore(db, tables, log),
    roleAssumer: new FakeRoleAssumer(),
    tokenSigner: new FakeTokenSigner(),
    sessionStarter: new FakeSessionStarter(),
    metrics: new FakeMetrics(),
    databaseSessions: new FakeDatabaseSessions(),
  };
}
