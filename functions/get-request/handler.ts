import { requestDto } from '#shared/http/dto';
import { requestPath } from '#shared/http/schemas';
import { getRequest } from '#shared/use-cases/requests';
import { deps, route } from '#shared/wiring';

export const handler = route({ path: requestPath }, async ({ principal, path }) => ({
  status: 200,
  body: requestDto(await getRequest(deps, principal, path.requestId)),
}));
