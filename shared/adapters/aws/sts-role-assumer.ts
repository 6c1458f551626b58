import type { STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../config.ts';
import { AwsCallError } from '../../minting/errors.ts';
import type { AssumedRole, AssumeRoleInput, RoleAssumer } from '../../minting/ports.ts';
import { awsCall, awsRequestHandler, type AwsTimeouts } from './aws-call.ts';

type StsModule = typeof import('./sts-commands.ts');
let stsModule: Promise<StsModule> | undefined;
/**
 * The STS client is loaded on first use, once per container (esbuild keeps it in the bundle, unevaluated):
 * a revoke or sweep with no session to end never evaluates it. issue-credentials always needs it, so there
 * the cost only moves from the import to the first issuance (docs/benchmarks.md, "Cold start").
 */
const loadSts = (): Promise<StsModule> => (stsModule ??= import('./sts-commands.ts'));

/** An STS client and its module's commands, made on the first call and then reused. */
export type LazySts = () => Promise<{ client: STSClient; sts: StsModule }>;

/** The broker's STS client: its own (Lambda) credentials unless given; the endpoint is overridden locally only. */
export function createStsClient(
  config: Pick<Config, 'AWS_REGION' | 'STS_ENDPOINT'>,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  timeouts?: AwsTimeouts,
): LazySts {
  let made: ReturnType<LazySts> | undefined;
  return () =>
    (made ??= loadSts().then((sts) => ({
      sts,
      client: new sts.STSClient({
        region: config.AWS_REGION,
        ...(config.STS_ENDPOINT ? { endpoint: config.STS_ENDPOINT } : {}),
        ...(credentials ? { credentials } : {}),
        maxAttempts: 2,
        requestHandler: awsRequestHandler(timeouts),
      }),
    })));
}

/** One AssumeRole per issuance, with everything the grant says the session may be. */
export class StsRoleAssumer implements RoleAssumer {
  constructor(private readonly lazySts: LazySts) {}

  async assume(input: AssumeRoleInput): Promise<AssumedRole> {
    const { client, sts } = await this.lazySts();
    const out = await awsCall('sts', 'AssumeRole', () =>
      client.send(
        new sts.AssumeRoleCommand({
          RoleArn: input.roleArn,
          ExternalId: input.externalId,
          RoleSessionName: input.sessionName,
          SourceIdentity: input.sourceIdentity,
          Tags: input.tags.map((t) => ({ Key: t.key, Value: t.value })),
          DurationSeconds: input.durationSeconds,
          Policy: input.policy,
        }),
      ),
    );
    const c = out.Credentials;
    const user = out.AssumedRoleUser;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !user?.AssumedRoleId || !user.Arn) {
      throw new AwsCallError('sts', 'AssumeRole', 'IncompleteResponse', out.$metadata.requestId);
    }
    return {
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
      assumedRoleId: user.AssumedRoleId,
      assumedRoleArn: user.Arn,
      ...(out.PackedPolicySize !== undefined ? { packedPolicySize: out.PackedPolicySize } : {}),
    };
  }
}
