import { ConcurrentModificationError, CorruptRecordError } from '../kernel/errors.ts';
import { AwsCallError } from './errors.ts';
import { LogAction, requestLogEntry } from '../grant-log/index.ts';
import { MIN_SESSION_SECONDS } from './minting.ts';
import { sessionNameFor, sessionTagsFor, terminationPolicyFor } from '../iam/index.ts';
import { systemActor, type Actor } from '../requests/index.ts';
import type { AwsCredentials, SessionRecord } from './ports.ts';
import type { MintingDeps } from './deps.ts';

export type TerminationReason = 'revoked' | 'window_ended';
export type TerminationResult = { terminated: string[]; failed: { sessionId: string; error: string }[] };

const codeOf = (error: unknown) => (error instanceof AwsCallError ? error.awsCode : 'InternalError');

/** STS and SSM refusals are counted by operation and AWS code (deps.metrics), then reported by code. */
function failureOf(deps: Pick<MintingDeps, 'metrics'>, error: unknown, ids: { tenantId: string; requestId: string }): string {
  if (error instanceof AwsCallError && error.service !== 'rds-db') {
    deps.metrics.awsCallFailed({ service: error.service, operation: error.operation, errorCode: error.awsCode }, ids);
  }
  return codeOf(error);
}

/**
 * End the SSM sessions of a grant that was revoked or whose window ended:
 * 1. the grant's sessions still marked active (none → nothing to do, no event);
 * 2. its target and integration name the role to act as;
 * 3. AssumeRole with the grant's own session name — SSM tagged the sessions with the
 *    starter's aws:userid (role id + session name), so this session may end them —
 *    and a policy allowing only TerminateSession on them, for 15 minutes;
 * 4. TerminateSession each; one already gone is not an error;
 * 5. ONE `ssm.sessions_terminated` event, in the same transaction as marking the ended
 *    sessions terminated; outcome `failure` (naming the AWS error codes) when any could not be ended,
 *    so the next sweep tries those again.
 */
export async function terminateGrantSessions(
  deps: MintingDeps,
  tenantId: string,
  requestId: string,
  reason: TerminationReason,
  actor: Actor = systemActor,
): Promise<TerminationResult> {
  const active = (await deps.issuances.sessionsOf(tenantId, requestId)).filter((s) => s.status === 'active');
  if (active.length === 0) return { terminated: [], failed: [] };

  const request = await deps.requests.get(tenantId, requestId);
  if (!request) return { terminated: [], failed: active.map((s) => ({ sessionId: s.sessionId, error: 'RequestNotFound' })) };
  const target = await deps.targets.get(tenantId, request.targetId);
  const now = deps.clock.now();
  const result: TerminationResult = { terminated: [], failed: [] };
  const ended: SessionRecord[] = [];

  // Sessions are grouped by integration and region: one AssumeRole per role, one policy per region.
  const groups = new Map<string, SessionRecord[]>();
  for (const s of active) groups.set(`${s.integrationId}\u0000${s.region}`, [...(groups.get(`${s.integrationId}\u0000${s.region}`) ?? []), s]);

  for (const sessions of groups.values()) {
    const first = sessions[0]!;
    // An integration item that breaks its model (CorruptRecordError) fails this group, not the whole
    // termination: the event still names the failure, and the next sweep tries again.
    const integration = await deps.integrations.get(tenantId, first.integrationId).catch((error: unknown) => {
      if (error instanceof CorruptRecordError) return error.code;
      throw error;
    });
    let credentials: AwsCredentials | undefined;
    let failure = typeof integration === 'string' ? integration : integration?.roleArn && target ? undefined : 'IntegrationNotFound';
    if (typeof integration === 'object' && integration.roleArn && target) {
      try {
        const assumed = await deps.roleAssumer.assume({
          roleArn: integration.roleArn,
          externalId: integration.externalId,
          sessionName: sessionNameFor(request),
          sourceIdentity: systemActor.id,
          tags: sessionTagsFor(request),
          durationSeconds: MIN_SESSION_SECONDS,
          policy: terminationPolicyFor({ region: first.region, accountId: integration.accountId, until: new Date(now.getTime() + MIN_SESSION_SECONDS * 1000) }),
        });
        credentials = assumed.credentials;
      } catch (error) {
        failure = failureOf(deps, error, { tenantId, requestId });
      }
    }
    for (const session of sessions) {
      if (!credentials) {
        result.failed.push({ sessionId: session.sessionId, error: failure ?? 'InternalError' });
        continue;
      }
      try {
        await deps.sessionStarter.terminate(credentials, session.region, session.sessionId);
        result.terminated.push(session.sessionId);
        ended.push(session);
      } catch (error) {
        result.failed.push({ sessionId: session.sessionId, error: failureOf(deps, error, { tenantId, requestId }) });
      }
    }
  }

  const entry = requestLogEntry(request, LogAction.sessionsTerminated, actor, deps.clock.now(), result.failed.length === 0 ? 'success' : 'failure', {
    reason,
    ssmSessionIds: result.terminated,
    ...(result.failed.length > 0 ? { failed: result.failed } : {}),
  });
  try {
    await deps.issuances.recordTermination(entry, ended);
  } catch (error) {
    // Another terminator (the sweeper, a second revoke) recorded these sessions first:
    // they are ended and logged once, by it. Ours is not an error for the caller.
    if (!(error instanceof ConcurrentModificationError)) throw error;
  }
  return result;
}
