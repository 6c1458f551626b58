import { targetDto } from '#shared/targets/dto';
import { targetPath } from '#shared/targets/schemas';
import { getTarget } from '#shared/targets/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: targetPath }, async ({ principal, path }) => ({
  status: 200,
  body: targetDto(await getTarget(deps, principal, path.targetId)),
}));
