import { targetDto } from '#shared/targets/dto';
import { pageQuery } from '#shared/kernel/schemas';
import { listTargets } from '#shared/targets/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ query: pageQuery }, async ({ principal, query }) => {
  const page = await listTargets(deps, principal, query);
  return { status: 200, body: { items: page.items.map(targetDto), nextCursor: page.nextCursor } };
});
