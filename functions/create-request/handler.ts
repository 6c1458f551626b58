import { requestDto } from '#shared/requests/dto';
import { createRequestBody } from '#shared/requests/schemas';
import { createRequest } from '#shared/requests/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ body: createRequestBody, idempotent: true }, async ({ principal, body }) => ({
  status: 201,
  body: requestDto(await createRequest(deps, principal, body)),
}));
