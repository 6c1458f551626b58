import { targetDto } from '#shared/http/dto';
import { targetPath } from '#shared/http/schemas';
import { getTarget } from '#shared/use-cases/targets';
import { deps, route } from '#shared/wiring';

export const handler = route({ path: targetPath }, async ({ principal, path }) => ({
  status: 200,
  body: targetDto(await getTarget(deps, principal, path.targetId)),
}));
