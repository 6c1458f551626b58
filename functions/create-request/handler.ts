import { requestDto } from '#shared/http/dto';
import { createRequestBody } from '#shared/http/schemas';
import { createRequest } from '#shared/use-cases/requests';
import { deps, route } from '#shared/wiring';

export const handler = route({ body: createRequestBody }, async ({ principal, body }) => ({
  status: 201,
  body: requestDto(await createRequest(deps, principal, body)),
}));
