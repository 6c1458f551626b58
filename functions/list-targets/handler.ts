import { targetDto } from '#shared/http/dto';
import { pageQuery } from '#shared/http/schemas';
import { listTargets } from '#shared/use-cases/targets';
import { deps, route } from '#shared/wiring';

export const handler = route({ query: pageQuery }, async ({ principal, query }) => {
  const page = await listTargets(deps, principal, query);
  return { status: 200, body: { items: page.items.map(targetDto), nextCursor: page.nextCursor } };
});
