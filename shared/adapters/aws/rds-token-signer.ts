import { Signer } from '@aws-sdk/rds-signer';
import type { DbTokenRequest, DbTokenSigner } from '../../minting/ports.ts';
import { awsCall } from './aws-call.ts';

/**
 * Signs locally (no AWS call) with the assumed credentials, exactly as
 * `aws rds generate-db-auth-token` does: a presigned `connect` URL valid 900 s.
 * Credentials are given, so the signer never touches the default provider chain.
 */
export class RdsTokenSigner implements DbTokenSigner {
  async sign(request: DbTokenRequest): Promise<string> {
    const { credentials } = request;
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
