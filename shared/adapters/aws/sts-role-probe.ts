import type { ProbeResult } from '../../integrations/role-verification.ts';
import type { ProbeRequest, RoleProbe } from '../../integrations/ports.ts';
import type { LazySts } from './sts-role-assumer.ts';

/** Nothing allowed: even if a probe session leaked, it could do nothing. */
export const DENY_ALL_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
const PROBE_SECONDS = 900; // STS's minimum

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

/** AssumeRole as the broker (the STS client's own identity), reduced to allowed / refused / failed. */
export class StsRoleProbe implements RoleProbe {
  constructor(private readonly lazySts: LazySts) {}

  async probe(request: ProbeRequest): Promise<ProbeResult> {
    const { client, sts } = await this.lazySts();
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
      const e = error as { name?: unknown; Code?: unknown };
      const code = [e?.Code, e?.name].find((c): c is string => typeof c === 'string' && /^[A-Za-z][\w.:-]{0,63}$/.test(c) && c !== 'Error');
      return { outcome: 'error', awsCode: code ?? 'UnknownError' };
    }
  }
}
