import { integrationDto } from '#shared/http/dto-integrations';
import { pageQuery } from '#shared/http/schemas';
import { listIntegrations } from '#shared/use-cases/integrations';
import { integrationDeps, route } from '#shared/wiring';

export const handler = route({ query: pageQuery }, async ({ principal, query }) => {
  const page = await listIntegrations(integrationDeps, principal, query);
  return { status: 200, body: { items: page.items.map(integrationDto), nextCursor: page.nextCursor } };
});
