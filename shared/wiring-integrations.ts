import { DynamoIntegrationRegistry } from './adapters/dynamodb/integration-registry.ts';
import { StsRoleProbe } from './adapters/aws/sts-role-probe.ts';
import { createStsClient } from './adapters/aws/sts-role-assumer.ts';
import type { IntegrationDeps } from './use-cases/deps-integrations.ts';
import { config, db, deps, log, systemClock, tables } from './wiring.ts';

export { route } from './wiring.ts';

// Module scope, once per container. The STS client signs with the function's
// own credentials: verify-integration runs as the broker role (infra/iam.yml),
// so its probes are made by the very principal customer trust policies name.

export const integrationDeps: IntegrationDeps = {
  clock: systemClock,
  ids: deps.ids,
  targets: deps.targets,
  integrations: new DynamoIntegrationRegistry(db, tables, log),
  roleProbe: new StsRoleProbe(createStsClient(config)),
  settings: {
    ...(config.BROKER_ROLE_ARN ? { brokerRoleArn: config.BROKER_ROLE_ARN } : {}),
    ...(config.SETUP_TEMPLATE_BASE_URL ? { templateBaseUrl: config.SETUP_TEMPLATE_BASE_URL } : {}),
  },
};
