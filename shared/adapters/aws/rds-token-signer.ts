import type { DbTokenRequest, DbTokenSigner } from '../../minting/ports.ts';
import { awsCall } from './aws-call.ts';

let signerModule: Promise<typeof import('@aws-sdk/rds-signer')> | undefined;
/**
 * Loaded on the first token, once per container: revoke-request and expire-requests (same wiring) never sign,
 * so never evaluate it; in issue-credentials the cost moves from the import to the first issuance.
 */
const loadSigner = () => (signerModule ??= import('@aws-sdk/rds-signer'));

/**
 * Signs locally (no AWS call) with the assumed credentials, exactly as
 * `aws rds generate-db-auth-token` does: a presigned `connect` URL valid 900 s.
 * Credentials are given, so the signer never touches the default provider chain.
 */
export class RdsTokenSigner implements DbTokenSigner {
  async sign(request: DbTokenRequest): Promise<string> {
    const { credentials } = request;
    const { Signer } = await loadSigner();
    const signer = new Signer({
      hostname: request.hostname,
      port: request.port,
      region: request.region,
      username: request.username,
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration,
      },
    });
    return awsCall('rds-db', 'GenerateDbAuthToken', () => signer.getAuthToken());
  }
}
