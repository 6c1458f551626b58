import { requestDto } from '#shared/http/dto';
import { extendBody, requestPath } from '#shared/http/schemas';
import { extendRequest } from '#shared/use-cases/requests';
import { deps, route } from '#shared/wiring';

export const handler = route({ path: requestPath, body: extendBody }, async ({ principal, path, body }) => ({
  status: 200,
  body: requestDto(await extendRequest(deps, principal, { requestId: path.requestId, ...body })),
}));
