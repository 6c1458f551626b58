import { RdsTokenSigner } from '#shared/adapters/aws/rds-token-signer';
import { SsmSessionStarter } from '#shared/adapters/aws/ssm-session-starter';
import { createStsClient, StsRoleAssumer } from '#shared/adapters/aws/sts-role-assumer';
import { createDocumentClient } from '#shared/adapters/dynamodb/client';
import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { DynamoIssuanceStore } from '#shared/adapters/dynamodb/issuance-store';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { DynamoTargetStore } from '#shared/adapters/dynamodb/target-store';
import type { MintingDeps } from '#shared/minting/deps';
import { FakeMetrics } from './fakes/index.ts';

// The minting path's real adapters for the fault tests (tests/integration/minting-faults.test.ts),
// in the test's process or in a child it kills midway (tests/support/mint-and-die.ts).

export type FaultMintingSettings = {
  region: string;
  dynamodbEndpoint: string;
  tables: { main: string; log: string };
  standinUrl: string;
  brokerKeys: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  attemptTimeoutMs: number;
};

export function faultMintingDeps(s: FaultMintingSettings): MintingDeps & { integrations: DynamoIntegrationRegistry } {
  const db = createDocumentClient({ AWS_REGION: s.region, DYNAMODB_ENDPOINT: s.dynamodbEndpoint });
  const log = new LogWriter(db, s.tables);
  return {
    clock: { now: () => new Date() },
    metrics: new FakeMetrics(),
    requests: new DynamoRequestStore(db, s.tables, log),
    targets: new DynamoTargetStore(db, s.tables, log),
    integrations: new DynamoIntegrationRegistry(db, s.tables, log),
    roleAssumer: new StsRoleAssumer(createStsClient({ AWS_REGION: s.region, STS_ENDPOINT: s.standinUrl }, s.brokerKeys, { attemptTimeoutMs: s.attemptTimeoutMs })),
    tokenSigner: new RdsTokenSigner(),
    sessionStarter: new SsmSessionStarter({ endpoint: s.standinUrl, attemptTimeoutMs: s.attemptTimeoutMs }),
    issuances: new DynamoIssuanceStore(db, s.tables, log),
  };
}
