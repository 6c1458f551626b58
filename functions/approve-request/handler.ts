import { requestDto } from '#shared/http/dto';
import { decisionBody, requestPath } from '#shared/http/schemas';
import { approveRequest } from '#shared/use-cases/requests';
import { deps, route } from '#shared/wiring';

export const handler = route({ path: requestPath, body: decisionBody }, async ({ principal, path, body }) => ({
  status: 200,
  body: requestDto(await approveRequest(deps, principal, { requestId: path.requestId, ...body })),
}));
