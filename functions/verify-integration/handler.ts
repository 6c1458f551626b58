import { integrationDto } from '#shared/integrations/dto';
import { integrationPath } from '#shared/integrations/schemas';
import { verifyIntegration } from '#shared/integrations/verify-integration';
import { route, verificationDeps } from '#shared/wiring/integrations';

// 200 either way: a failed verification is a result (status `failed`, a reason and how to fix it), not an error.
export const handler = route({ path: integrationPath }, async ({ principal, path }) => {
  const { integration, verification } = await verifyIntegration(verificationDeps, principal, path.integrationId);
  return { status: 200, body: { ...integrationDto(integration), verification } };
});
