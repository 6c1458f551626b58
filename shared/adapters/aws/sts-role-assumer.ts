import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../config.ts';
import { AwsCallError } from '../../minting/errors.ts';
import type { AssumedRole, AssumeRoleInput, RoleAssumer } from '../../minting/ports.ts';
import { awsCall, awsRequestHandler, type AwsTimeouts } from './aws-call.ts';

/** The broker's STS client: its own (Lambda) credentials unless given; the endpoint is overridden locally only. */
export function createStsClient(
  config: Pick<Config, 'AWS_REGION' | 'STS_ENDPOINT'>,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  timeouts?: AwsTimeouts,
): STSClient {
  return new STSClient({
    region: config.AWS_REGION,
    ...(config.STS_ENDPOINT ? { endpoint: config.STS_ENDPOINT } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 2,
    requestHandler: awsRequestHandler(timeouts),
  });
}

/** One AssumeRole per issuance, with everything the grant says the session may be. */
export class StsRoleAssumer implements RoleAssumer {
  constructor(private readonly sts: STSClient) {}

  async assume(input: AssumeRoleInput): Promise<AssumedRole> {
    const out = await awsCall('sts', 'AssumeRole', () =>
      this.sts.send(
        new AssumeRoleCommand({
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
