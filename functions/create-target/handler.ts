import { targetInputSchema } from '#shared/domain/target';
import { targetDto } from '#shared/http/dto';
import { createTarget } from '#shared/use-cases/targets';
import { deps, integrationDeps, route } from '#shared/wiring';

export const handler = route({ body: targetInputSchema }, async ({ principal, body }) => ({
  status: 201,
  body: targetDto(await createTarget({ ...deps, integrations: integrationDeps.integrations }, principal, body)),
}));
