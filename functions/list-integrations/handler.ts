import { integrationDto } from '#shared/integrations/dto';
import { pageQuery } from '#shared/kernel/schemas';
import { listIntegrations } from '#shared/integrations/use-cases';
import { integrationDeps, route } from '#shared/wiring/index';

export const handler = route({ query: pageQuery }, async ({ principal, query }) => {
  const page = await listIntegrations(integrationDeps, principal, query);
  return { status: 200, body: { items: page.items.map(integrationDto), nextCursor: page.nextCursor } };
});
