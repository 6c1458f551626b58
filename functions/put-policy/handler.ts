import { policySchema } from '#shared/targets/target';
import { targetDto } from '#shared/targets/dto';
import { targetPath } from '#shared/targets/schemas';
import { putPolicy } from '#shared/targets/use-cases';
import { deps, route } from '#shared/wiring/index';

export const handler = route({ path: targetPath, body: policySchema }, async ({ principal, path, body }) => ({
  status: 200,
  body: targetDto(await putPolicy(deps, principal, path.targetId, body)),
}));
