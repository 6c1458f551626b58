import { requestDto } from '#shared/requests/dto';
import { requestPath } from '#shared/requests/schemas';
import { getRequest } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: requestPath }, async ({ principal, path }) => ({
  status: 200,
  body: requestDto(await getRequest(deps, principal, path.requestId)),
}));
