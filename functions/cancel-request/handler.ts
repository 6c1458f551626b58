import { requestDto } from '#shared/requests/dto';
import { requestPath } from '#shared/requests/schemas';
import { cancelRequest } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: requestPath, idempotent: true }, async ({ principal, path }) => ({
  status: 200,
  body: requestDto(await cancelRequest(deps, principal, path.requestId)),
}));
