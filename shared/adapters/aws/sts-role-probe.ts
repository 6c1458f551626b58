import type { ProbeResult } from '../../integrations/role-verification.ts';
import type { ProbeRequest, RoleProbe } from '../../integrations/ports.ts';
import type { LazySts } from './sts-role-assumer.ts';

/** Nothing allowed: even if a probe session leaked, it could do nothing. */
export const DENY_ALL_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
const PROBE_SECONDS = 900; // STS's minimum
/** The trust probe role's session may do one thing: ask for the one customer role being verified. */
export const onlyAskFor = (roleArn: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: roleArn }] });

const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] as const;
type ProbedAction = (typeof ACTIONS)[number];

/**
 * STS words a refusal "User: … is not authorized to perform: sts:TagSession on
 * resource: …". Only the action is taken from it, and only when it is one of
 * ours; the rest of the message (ARNs) goes no further.
 */
export function refusedAction(message: unknown): ProbedAction | undefined {
  const match = typeof message === 'string' ? /perform: (sts:[A-Za-z]+)/.exec(message) : null;
  return ACTIONS.find((a) => a === match?.[1]);
}

const isAccessDenied = (error: unknown) => {
  const e = error as { name?: unknown; Code?: unknown };
  return e?.name === 'AccessDenied' || e?.Code === 'AccessDenied';
};

/** Where another principal of the broker's account comes from: a role the broker may assume, and how to call STS as its session. */
export type AnotherPrincipal = {
  /** The trust probe role (infra/iam.yml TrustProbeRole): trusted by the broker alone, and named by no customer trust policy. */
  roleArn: string;
  stsWith(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): LazySts;
};

/** AssumeRole as the broker (the STS client's own identity), reduced to allowed / refused / failed. */
export class StsRoleProbe implements RoleProbe {
  constructor(
    private readonly lazySts: LazySts,
    /** Undefined where no trust probe role is configured: that probe then fails, and no role verifies. */
    private readonly another: AnotherPrincipal | undefined,
  ) {}

  probe(request: ProbeRequest): Promise<ProbeResult> {
    return probeWith(this.lazySts, request);
  }

  /**
   * 1. the broker assumes the trust probe role, with a session policy that allows asking for this one
   *    role only, and the SourceIdentity the broker's own policy requires (the session then carries it);
   * 2. that session asks for the customer role exactly as the broker's positive probe does.
   * Failing step 1 concludes nothing: an error, never "denied".
   */
  async probeFromAnotherPrincipal(request: ProbeRequest): Promise<ProbeResult> {
    if (!this.another) return { outcome: 'error', awsCode: 'TrustProbeRoleNotConfigured' };
    const { client, sts } = await this.lazySts();
    let credentials;
    try {
      const out = await client.send(
        new sts.AssumeRoleCommand({
          RoleArn: this.another.roleArn,
          RoleSessionName: request.sessionName,
          SourceIdentity: request.sourceIdentity,
          DurationSeconds: PROBE_SECONDS,
          Policy: onlyAskFor(request.roleArn),
        }),
      );
      credentials = out.Credentials;
    } catch (error) {
      return { outcome: 'error', awsCode: `TrustProbeRole.${awsCode(error)}` };
    }
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) return { outcome: 'error', awsCode: 'TrustProbeRole.NoCredentials' };
    const probeSession = this.another.stsWith({ accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken });
    try {
      // Asked exactly as the broker asks (the SourceIdentity, sent again, is the one the session already carries).
      return await probeWith(probeSession, request);
    } finally {
      (await probeSession()).client.destroy();
    }
  }
}

async function probeWith(lazySts: LazySts, request: ProbeRequest): Promise<ProbeResult> {
  const { client, sts } = await lazySts();
  try {
    const out = await client.send(
      new sts.AssumeRoleCommand({
        RoleArn: request.roleArn,
        ...(request.externalId !== undefined ? { ExternalId: request.externalId } : {}),
        RoleSessionName: request.sessionName,
        SourceIdentity: request.sourceIdentity,
        ...(request.tags.length > 0 ? { Tags: request.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
        DurationSeconds: PROBE_SECONDS,
        Policy: DENY_ALL_POLICY,
      }),
    );
    // The credentials are dropped here, unread.
    return { outcome: 'assumed', assumedRoleArn: out.AssumedRoleUser?.Arn ?? '' };
  } catch (error) {
    if (isAccessDenied(error)) {
      const action = refusedAction((error as { message?: unknown }).message);
      return action ? { outcome: 'denied', action } : { outcome: 'denied' };
    }
    return { outcome: 'error', awsCode: awsCode(error) };
  }
}

/** The AWS error code only, when it looks like one; never the message (it names ARNs). */
function awsCode(error: unknown): string {
  const e = error as { name?: unknown; Code?: unknown };
  return [e?.Code, e?.name].find((c): c is string => typeof c === 'string' && /^[A-Za-z][\w.:-]{0,63}$/.test(c) && c !== 'Error') ?? 'UnknownError';
}
