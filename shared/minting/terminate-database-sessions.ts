import { ConcurrentModificationError, CorruptRecordError } from '../kernel/errors.ts';
import { AwsCallError, DatabaseUnreachableError } from './errors.ts';
import { LogAction, requestLogEntry } from '../grant-log/index.ts';
import { MIN_SESSION_SECONDS } from './minting.ts';
import { sessionTagFor } from './connection-info.ts';
import { CONTROL_DB_USER, databaseControlPolicyFor, sessionNameFor, sessionTagsFor } from '../iam/index.ts';
import { isOpenGrant, systemActor, type AccessRequest, type Actor } from '../requests/index.ts';
import type { DbSessionsRecord, EndedDatabaseSessions } from './ports.ts';
import type { MintingDeps } from './deps.ts';

/** Failed attempts in a row before Latchkey stops trying (the last event says so: the grant may keep sessions open). */
export const MAX_TERMINATION_ATTEMPTS = 8;
/** After the n-th failed attempt, the next is due 30 s · 2^(n-1) later, at most 30 minutes (the sweeper's cadence rounds it up). */
export const retryDelayMs = (failedAttempts: number) => Math.min(30_000 * 2 ** (failedAttempts - 1), 30 * 60_000);

export type DatabaseTermination =
  | { outcome: 'terminated'; attempt: number; terminated: number[]; unattributed: number[]; againAt?: string }
  | { outcome: 'failed'; attempt: number; error: string; nextAttemptAt?: string }
  | { outcome: 'nothing_due' };

const nothingDue = { outcome: 'nothing_due' } as const;

/**
 * End a finished grant's live database sessions (revoke, window end, or a retry the sweeper finds due):
 * 1. the grant's record must be due (credentials were issued on a target whose policy ends sessions);
 *    a retry before its time, or a grant still open, does nothing;
 * 2. AssumeRole in the customer's account with a policy allowing only rds-db:connect as the control user, briefly;
 * 3. sign that user's IAM token and connect to the database's endpoint; end the sessions of the grant's
 *    database user that carry its tag, and those that carry no grant's tag unless another open grant
 *    uses the same database user (then they are reported as unattributed);
 * 4. ONE event per attempt, in the same transaction as the record's next state: `db.sessions_terminated`
 *    (pids or connection ids) or `db.sessions_termination_failed` (a short reason, the next attempt's time),
 *    retried with backoff up to MAX_TERMINATION_ATTEMPTS failures in a row. Never the token;
 * 5. after a revoke, the grant's last token may still open connections until it expires: one more pass is due then.
 */
export async function terminateDatabaseSessions(
  deps: MintingDeps,
  tenantId: string,
  requestId: string,
  options: { actor?: Actor; immediate?: boolean } = {},
): Promise<DatabaseTermination> {
  const record = await deps.issuances.dbSessionsOf(tenantId, requestId);
  if (!record || record.status !== 'due') return nothingDue;
  const now = deps.clock.now();
  if (!options.immediate && Date.parse(record.dueAt) > now.getTime()) return nothingDue;
  const request = await deps.requests.get(tenantId, requestId);
  // Never the sessions of a grant that is still open (an extension moved its window past an old due time).
  if (!request || request.status === 'pending' || (request.status === 'approved' && isOpenGrant(request, now))) return nothingDue;

  const attempt = record.attempts + 1;
  const reason = request.status === 'revoked' ? 'revoked' : 'window_ended';
  const result = await endSessions(deps, request, now).then(
    (ended) => ({ ok: true as const, ended }),
    (error: unknown) => ({ ok: false as const, error: reasonOf(deps, error, request) }),
  );

  const at = deps.clock.now();
  const actor = options.actor ?? systemActor;
  let outcome: DatabaseTermination;
  let next: DbSessionsRecord;
  if (result.ok) {
    // A token issued before a revoke still opens connections until it expires: look once more then.
    const againAt = Date.parse(record.tokensValidUntil) > at.getTime() ? record.tokensValidUntil : undefined;
    outcome = { outcome: 'terminated', attempt, ...result.ended, ...(againAt ? { againAt } : {}) };
    next = { ...record, attempts: attempt, failures: 0, ...(againAt ? { status: 'due', dueAt: againAt } : { status: 'ended' }) };
  } else {
    const failures = record.failures + 1;
    const retry = result.error !== 'policy_removed' && failures < MAX_TERMINATION_ATTEMPTS;
    const nextAttemptAt = retry ? new Date(at.getTime() + retryDelayMs(failures)).toISOString() : undefined;
    outcome = { outcome: 'failed', attempt, error: result.error, ...(nextAttemptAt ? { nextAttemptAt } : {}) };
    next = { ...record, attempts: attempt, failures, ...(nextAttemptAt ? { status: 'due', dueAt: nextAttemptAt } : { status: 'abandoned' }) };
  }
  const entry = result.ok
    ? requestLogEntry(request, LogAction.dbSessionsTerminated, actor, at, 'success', {
        reason,
        attempt,
        terminated: result.ended.terminated,
        ...(result.ended.unattributed.length > 0 ? { unattributed: result.ended.unattributed } : {}),
        ...(outcome.outcome === 'terminated' && outcome.againAt ? { againAt: outcome.againAt } : {}),
      })
    : requestLogEntry(request, LogAction.dbSessionsTerminationFailed, actor, at, 'failure', {
        reason,
        attempt,
        error: result.error,
        ...(outcome.outcome === 'failed' && outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : { gaveUp: true }),
      });
  try {
    await deps.issuances.recordDbSessionsAttempt(entry, next);
  } catch (error) {
    // Another terminator (the sweeper, a second revoke) recorded this attempt first: it is logged once, by it.
    if (!(error instanceof ConcurrentModificationError)) throw error;
  }
  return outcome;
}

/** Steps 2–3. Throws with what went wrong; reasonOf turns it into the event's short reason. */
async function endSessions(deps: MintingDeps, request: AccessRequest, now: Date): Promise<EndedDatabaseSessions> {
  const target = await deps.targets.get(request.tenantId, request.targetId);
  if (!target) throw new DatabaseUnreachableError('target_not_found');
  if (target.policy.sessions?.terminateVia !== 'direct') throw new DatabaseUnreachableError('policy_removed');
  const integration = target.integrationId ? await deps.integrations.get(request.tenantId, target.integrationId) : undefined;
  if (!integration?.roleArn || integration.status !== 'verified') throw new DatabaseUnreachableError('integration_not_verified');

  const assumed = await deps.roleAssumer.assume({
    roleArn: integration.roleArn,
    externalId: integration.externalId,
    sessionName: sessionNameFor(request),
    sourceIdentity: systemActor.id,
    tags: sessionTagsFor(request),
    durationSeconds: MIN_SESSION_SECONDS,
    policy: databaseControlPolicyFor({
      region: target.region,
      accountId: target.accountId,
      resourceId: target.resourceId,
      controlUser: CONTROL_DB_USER,
      until: new Date(now.getTime() + MIN_SESSION_SECONDS * 1000),
    }),
  });
  const token = await deps.tokenSigner.sign({ hostname: target.endpoint, port: target.port, region: target.region, username: CONTROL_DB_USER, credentials: assumed.credentials });
  const others = await deps.requests.listApprovedOnTarget(request.tenantId, request.targetId);
  const otherOpenTags = others
    .filter((r) => r.requestId !== request.requestId && r.databaseUser === request.databaseUser && isOpenGrant(r, now))
    .map((r) => sessionTagFor(r.requestId));
  return deps.databaseSessions.terminate(
    { engine: target.engine, host: target.endpoint, port: target.port, user: CONTROL_DB_USER, token },
    { databaseUser: request.databaseUser, tag: sessionTagFor(request.requestId), otherOpenTags },
  );
}

/** A short reason for the event: the database's own (never its text), the AWS code, or the record's. */
function reasonOf(deps: MintingDeps, error: unknown, request: AccessRequest): string {
  if (error instanceof DatabaseUnreachableError) return error.reason;
  if (error instanceof AwsCallError) {
    if (error.service !== 'rds-db') {
      deps.metrics.awsCallFailed({ service: error.service, operation: error.operation, errorCode: error.awsCode }, { tenantId: request.tenantId, requestId: request.requestId });
    }
    return error.awsCode;
  }
  if (error instanceof CorruptRecordError) return error.code;
  return 'InternalError';
}
