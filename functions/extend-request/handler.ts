import { requestDto } from '#shared/requests/dto';
import { extendBody, requestPath } from '#shared/requests/schemas';
import { extendRequest } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: requestPath, body: extendBody, idempotent: true }, async ({ principal, path, body }) => ({
  status: 200,
  body: requestDto(await extendRequest(deps, principal, { requestId: path.requestId, ...body })),
}));
