import { targetDto } from '#shared/targets/dto';
import { targetChangeBody, targetPath } from '#shared/targets/schemas';
import { changeTarget } from '#shared/targets/change-target';
import { changeTargetDeps, route } from '#shared/wiring/index';

export const handler = route({ path: targetPath, body: targetChangeBody }, async ({ principal, path, body }) => ({
  status: 200,
  body: targetDto((await changeTarget(changeTargetDeps, principal, path.targetId, body)).target),
}));
