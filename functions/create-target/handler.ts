import { targetInputSchema } from '#shared/targets/target';
import { targetDto } from '#shared/targets/dto';
import { createTarget } from '#shared/targets/use-cases';
import { deps, integrationDeps, route } from '#shared/wiring/index';

export const handler = route({ body: targetInputSchema }, async ({ principal, body }) => ({
  status: 201,
  body: targetDto(await createTarget({ ...deps, integrations: integrationDeps.integrations }, principal, body)),
}));
