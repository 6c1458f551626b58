import { requestDto } from '#shared/requests/dto';
import { decisionBody, requestPath } from '#shared/requests/schemas';
import { approveRequest } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: requestPath, body: decisionBody, idempotent: true }, async ({ principal, path, body }) => ({
  status: 200,
  body: requestDto(await approveRequest(deps, principal, { requestId: path.requestId, ...body })),
}));
