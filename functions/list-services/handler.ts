import { serviceDto } from '#shared/services/dto';
import { pageQuery } from '#shared/kernel/schemas';
import { listServices } from '#shared/services/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ query: pageQuery }, async ({ principal, query }) => {
  const page = await listServices(deps, principal, query);
  return { status: 200, body: { items: page.items.map(serviceDto), nextCursor: page.nextCursor } };
});
