import { policySchema } from '#shared/domain/target';
import { targetDto } from '#shared/http/dto';
import { targetPath } from '#shared/http/schemas';
import { putPolicy } from '#shared/use-cases/targets';
import { deps, route } from '#shared/wiring';

export const handler = route({ path: targetPath, body: policySchema }, async ({ principal, path, body }) => ({
  status: 200,
  body: targetDto(await putPolicy(deps, principal, path.targetId, body)),
}));
