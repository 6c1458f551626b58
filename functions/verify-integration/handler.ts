import { integrationDto } from '#shared/http/dto-integrations';
import { integrationPath } from '#shared/http/schemas-integrations';
import { verifyIntegration } from '#shared/use-cases/verify-integration';
import { route, verificationDeps } from '#shared/wiring-integrations';

// 200 either way: a failed verification is a result (status `failed`, a reason and how to fix it), not an error.
export const handler = route({ path: integrationPath }, async ({ principal, path }) => {
  const { integration, verification } = await verifyIntegration(verificationDeps, principal, path.integrationId);
  return { status: 200, body: { ...integrationDto(integration), verification } };
});
