import { requestDto } from '#shared/http/dto';
import { listRequestsQuery } from '#shared/http/schemas';
import { listRequests } from '#shared/use-cases/requests';
import { deps, route } from '#shared/wiring';

export const handler = route({ query: listRequestsQuery }, async ({ principal, query }) => {
  const page = await listRequests(deps, principal, query);
  return { status: 200, body: { items: page.items.map(requestDto), nextCursor: page.nextCursor } };
});
