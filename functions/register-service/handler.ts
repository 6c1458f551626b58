import { serviceInputSchema } from '#shared/domain/target';
import { serviceDto } from '#shared/http/dto';
import { registerService } from '#shared/use-cases/services';
import { deps, route } from '#shared/wiring';

export const handler = route({ body: serviceInputSchema }, async ({ principal, body }) => ({
  status: 201,
  body: serviceDto(await registerService(deps, principal, body)),
}));
