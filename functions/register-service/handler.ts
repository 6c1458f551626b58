import { serviceInputSchema } from '#shared/services/service';
import { serviceDto } from '#shared/services/dto';
import { registerService } from '#shared/services/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ body: serviceInputSchema }, async ({ principal, body }) => ({
  status: 201,
  body: serviceDto(await registerService(deps, principal, body)),
}));
