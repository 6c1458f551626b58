import { DynamoIssuanceStore } from '../adapters/dynamodb/issuance-store.ts';
import { RdsTokenSigner } from '../adapters/aws/rds-token-signer.ts';
import { SsmSessionStarter } from '../adapters/aws/ssm-session-starter.ts';
import { createStsClient, StsRoleAssumer } from '../adapters/aws/sts-role-assumer.ts';
import type { MintingDeps } from '../minting/deps.ts';
import { config, db, deps, integrationDeps, log, systemClock, tables } from './index.ts';

export { asTenant, route } from './index.ts';

// Module scope, once per container. The STS client signs with the function's
// own role (the broker's issuing role that customer trust policies name); SSM
// clients are made per call because they sign as the assumed customer session.

export const mintingDeps: MintingDeps = {
  clock: systemClock,
  targets: deps.targets,
  requests: deps.requests,
  // The same adapter the integration functions use: one model of the item, one reader.
  integrations: integrationDeps.integrations,
  roleAssumer: new StsRoleAssumer(createStsClient(config)),
  tokenSigner: new RdsTokenSigner(),
  sessionStarter: new SsmSessionStarter(config.SSM_ENDPOINT ? { endpoint: config.SSM_ENDPOINT } : {}),
  issuances: new DynamoIssuanceStore(db, tables, log),
  metrics: deps.metrics,
};
