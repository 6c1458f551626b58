import { integrationDto } from '#shared/http/dto-integrations';
import { createIntegrationBody } from '#shared/http/schemas-integrations';
import { createIntegration } from '#shared/use-cases/integrations';
import { integrationDeps, route } from '#shared/wiring';

export const handler = route({ body: createIntegrationBody }, async ({ principal, body }) => ({
  status: 201,
  body: integrationDto(await createIntegration(integrationDeps, principal, { accountId: body.accountId, name: body.name })),
}));
