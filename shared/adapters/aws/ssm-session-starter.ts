import type { SSMClient } from '@aws-sdk/client-ssm';
import { PORT_FORWARDING_DOCUMENT } from '../../iam/arns.ts';
import { AwsCallError } from '../../minting/errors.ts';
import type { AwsCredentials, PortForwarding, SessionStarter, SsmSession } from '../../minting/ports.ts';
import { awsCall, awsRequestHandler, type AwsTimeouts } from './aws-call.ts';

type SsmModule = typeof import('./ssm-commands.ts');
let ssmModule: Promise<SsmModule> | undefined;
/**
 * The SSM client is loaded on first use, once per container: an issuance without a tunnel (and a revoke
 * or sweep with no session to end) never evaluates it. esbuild keeps it in the same bundle, unevaluated.
 */
const loadSsm = (): Promise<SsmModule> => (ssmModule ??= import('./ssm-commands.ts'));

/**
 * SSM calls made AS the assumed customer-role session, in the target's region.
 * A client per call: the credentials differ on every issuance.
 */
export class SsmSessionStarter implements SessionStarter {
  constructor(private readonly options: { endpoint?: string } & AwsTimeouts = {}) {}

  private async client(credentials: AwsCredentials, region: string): Promise<{ client: SSMClient; ssm: SsmModule }> {
    const ssm = await loadSsm();
    const client = new ssm.SSMClient({
      region,
      credentials,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      maxAttempts: 2,
      requestHandler: awsRequestHandler(this.options),
    });
    return { client, ssm };
  }

  async start(credentials: AwsCredentials, forwarding: PortForwarding): Promise<SsmSession> {
    const { client, ssm } = await this.client(credentials, forwarding.region);
    try {
      const out = await awsCall('ssm', 'StartSession', () =>
        client.send(
          new ssm.StartSessionCommand({
            Target: forwarding.instanceId,
            DocumentName: PORT_FORWARDING_DOCUMENT,
            Parameters: {
              host: [forwarding.host],
              portNumber: [String(forwarding.portNumber)],
              localPortNumber: [String(forwarding.localPortNumber)],
            },
          }),
        ),
      );
      if (!out.SessionId || !out.StreamUrl || !out.TokenValue) throw new AwsCallError('ssm', 'StartSession', 'IncompleteResponse', out.$metadata.requestId);
      return { sessionId: out.SessionId, streamUrl: out.StreamUrl, tokenValue: out.TokenValue };
    } finally {
      client.destroy();
    }
  }

  async terminate(credentials: AwsCredentials, region: string, sessionId: string): Promise<void> {
    const { client, ssm } = await this.client(credentials, region);
    try {
      await awsCall('ssm', 'TerminateSession', () => client.send(new ssm.TerminateSessionCommand({ SessionId: sessionId })));
    } finally {
      client.destroy();
    }
  }
}
