import { integrationDto } from '#shared/http/dto-integrations';
import { integrationPath, registerRoleBody } from '#shared/http/schemas-integrations';
import { registerIntegrationRole } from '#shared/use-cases/integrations';
import { integrationDeps, route } from '#shared/wiring';

export const handler = route({ path: integrationPath, body: registerRoleBody }, async ({ principal, path, body }) => ({
  status: 200,
  body: integrationDto(await registerIntegrationRole(integrationDeps, principal, { integrationId: path.integrationId, roleArn: body.roleArn })),
}));
