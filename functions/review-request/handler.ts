import { requestDto } from '#shared/requests/dto';
import { requestPath, reviewBody } from '#shared/requests/schemas';
import { reviewRequest } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: requestPath, body: reviewBody }, async ({ principal, path, body }) => ({
  status: 200,
  body: requestDto(await reviewRequest(deps, principal, { requestId: path.requestId, ...body })),
}));
