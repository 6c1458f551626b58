import { integrationDto } from '#shared/http/dto-integrations';
import { integrationPath } from '#shared/http/schemas-integrations';
import { getIntegration } from '#shared/use-cases/integrations';
import { integrationDeps, route } from '#shared/wiring';

export const handler = route({ path: integrationPath }, async ({ principal, path }) => ({
  status: 200,
  body: integrationDto(await getIntegration(integrationDeps, principal, path.integrationId)),
}));
