import { requestPath } from '#shared/requests/schemas';
import { issueCredentialsBody } from '#shared/minting/schemas';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { mintingDeps, route } from '#shared/wiring/minting';

// The body holds the RDS token (and the SSM TokenValue): json() sends it with cache-control no-store.
export const handler = route({ path: requestPath, body: issueCredentialsBody }, async ({ principal, path, body }) => ({
  status: 201,
  body: await issueCredentials(mintingDeps, principal, { requestId: path.requestId, ...body }),
}));
