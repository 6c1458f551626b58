import { requestDto } from '#shared/requests/dto';
import { listRequestsQuery } from '#shared/requests/schemas';
import { listRequests } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ query: listRequestsQuery }, async ({ principal, query }) => {
  const page = await listRequests(deps, principal, query);
  return { status: 200, body: { items: page.items.map(requestDto), nextCursor: page.nextCursor } };
});
