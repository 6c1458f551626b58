import { StsRoleProbe } from '../adapters/aws/sts-role-probe.ts';
import { createStsClient } from '../adapters/aws/sts-role-assumer.ts';
import type { IntegrationDeps } from '../integrations/deps.ts';
import { config, integrationDeps } from './index.ts';

export { route } from './index.ts';

// Module scope, once per container, and only in verify-integration: the STS client
// signs with the function's own credentials, and verify-integration runs as the
// broker role (infra/iam.yml), so its probes are made by the very principal
// customer trust policies name. The other integration functions need no STS client.
// The trust probe role's sessions get a client of their own per verification (StsRoleProbe destroys it).
const anotherPrincipal = config.TRUST_PROBE_ROLE_ARN
  ? { roleArn: config.TRUST_PROBE_ROLE_ARN, stsWith: (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => createStsClient(config, credentials) }
  : undefined;

export const verificationDeps: IntegrationDeps = {
  ...integrationDeps,
  roleProbe: new StsRoleProbe(createStsClient(config), anotherPrincipal),
};
