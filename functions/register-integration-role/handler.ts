import { integrationDto } from '#shared/integrations/dto';
import { integrationPath, registerRoleBody } from '#shared/integrations/schemas';
import { registerIntegrationRole } from '#shared/integrations/use-cases';
import { integrationDeps, route } from '#shared/wiring/index';

export const handler = route({ path: integrationPath, body: registerRoleBody }, async ({ principal, path, body }) => ({
  status: 200,
  body: integrationDto(await registerIntegrationRole(integrationDeps, principal, { integrationId: path.integrationId, roleArn: body.roleArn })),
}));
