import { integrationDto } from '#shared/integrations/dto';
import { integrationPath } from '#shared/integrations/schemas';
import { getIntegration } from '#shared/integrations/use-cases';
import { integrationDeps, route } from '#shared/wiring/index';

export const handler = route({ path: integrationPath }, async ({ principal, path }) => ({
  status: 200,
  body: integrationDto(await getIntegration(integrationDeps, principal, path.integrationId)),
}));
