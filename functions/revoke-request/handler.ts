import { requestDto } from '#shared/requests/dto';
import { decisionBody, requestPath } from '#shared/requests/schemas';
import { revokeGrant } from '#shared/minting/revoke-grant';
import { mintingDeps, route } from '#shared/wiring/minting';

export const handler = route({ path: requestPath, body: decisionBody, idempotent: true }, async ({ principal, path, body }) => {
  const { request, sessions } = await revokeGrant(mintingDeps, principal, { requestId: path.requestId, ...body });
  return { status: 200, body: { ...requestDto(request), terminatedSessions: sessions.terminated, failedSessions: sessions.failed } };
});
