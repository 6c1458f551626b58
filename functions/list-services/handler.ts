import { serviceDto } from '#shared/http/dto';
import { pageQuery } from '#shared/http/schemas';
import { listServices } from '#shared/use-cases/services';
import { deps, route } from '#shared/wiring';

export const handler = route({ query: pageQuery }, async ({ principal, query }) => {
  const page = await listServices(deps, principal, query);
  return { status: 200, body: { items: page.items.map(serviceDto), nextCursor: page.nextCursor } };
});
