import { integrationDto } from '#shared/integrations/dto';
import { createIntegrationBody } from '#shared/integrations/schemas';
import { createIntegration } from '#shared/integrations/use-cases';
import { integrationDeps, route } from '#shared/wiring/index';

export const handler = route({ body: createIntegrationBody }, async ({ principal, body }) => ({
  status: 201,
  body: integrationDto(await createIntegration(integrationDeps, principal, { accountId: body.accountId, name: body.name })),
}));
