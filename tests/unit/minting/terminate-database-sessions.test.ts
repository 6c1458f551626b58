import { beforeEach, describe, expect, it } from 'vitest';
import { policySchema } from '#shared/targets/target';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { revokeGrant } from '#shared/minting/revoke-grant';
import { MAX_TERMINATION_ATTEMPTS, retryDelayMs, terminateDatabaseSessions } from '#shared/minting/terminate-database-sessions';
import { sweepDeadlines } from '#shared/requests/sweep-deadlines';
import { extendRequest } from '#shared/requests/use-cases';
import { permissionResources, resourceList } from '#shared/iam/permission-policy';
import { sweepHandler } from '#functions/expire-requests/sweep';
import { lambdaContext } from '../http/events.ts';
import {
  DB_TOKEN, ROLE_ARN, TENANT, aTarget, anIntegration, approvedGrant, approver, at, fakeMintingDeps, requester, secrets, type FakeMintingDeps,
} from '../../support/minting-world.ts';

// Ending a grant's live database sessions (invariant 8): on revoke at once, at window end by the sweeper,
// retried with backoff while the database is unreachable, one event per attempt, never a token.

let deps: FakeMintingDeps;
const REQ = 'req_0000000001';
const OTHER = 'req_0000000002';
const sessionsPolicy = policySchema.parse({ approvers: { groups: ['dba'] }, maxDurationMinutes: 480, sessions: {} });

function world(policy = sessionsPolicy) {
  deps = fakeMintingDeps();
  const target = aTarget({ policy });
  deps.targets.seed(target);
  deps.integrations.seed(anIntegration({ setup: { policyHash: 'world', resources: resourceList(permissionResources([target])), at: at(0).toISOString(), by: 'admin' } }));
}

const dbEvents = () => deps.issuances.events.filter((e) => e.action.startsWith('db.'));

beforeEach(async () => {
  world();
  deps.requests.seed(approvedGrant(60, REQ));
  await issueCredentials(deps, requester, { requestId: REQ });
});

describe('tagging', () => {
  it('names the grant in the printed command and the answer when the policy ends sessions, and not otherwise', async () => {
    const issued = await issueCredentials(deps, requester, { requestId: REQ });
    expect(issued.database.sessionTag).toBe(`lk-${REQ}`);
    expect(issued.database.command).toContain(`application_name=lk-${REQ}`);
    world(policySchema.parse({ approvers: { groups: ['dba'] }, maxDurationMinutes: 480 }));
    deps.requests.seed(approvedGrant(60, REQ));
    const plain = await issueCredentials(deps, requester, { requestId: REQ });
    expect(plain.database.sessionTag).toBeUndefined();
    expect(plain.database.command).not.toContain('application_name');
    expect(await deps.issuances.dbSessionsOf(TENANT, REQ)).toBeUndefined();
  });
});

describe('on revoke', () => {
  it('ends the grant’s tagged sessions at once as the control user, with a token for that user only, and logs one event', async () => {
    const mine = deps.databaseSessions.open('app_ro', `lk-${REQ}`);
    const otherUser = deps.databaseSessions.open('app_rw', null);

    const { database } = await revokeGrant(deps, approver, { requestId: REQ });

    expect(database).toMatchObject({ outcome: 'terminated', attempt: 1, terminated: [mine], unattributed: [] });
    expect([...deps.databaseSessions.live.keys()]).toEqual([otherUser]);
    const call = deps.databaseSessions.calls[0]!;
    expect(call.connection).toMatchObject({ engine: 'postgres', host: aTarget().endpoint, port: 5432, user: 'latchkey_control', token: DB_TOKEN });
    expect(deps.tokenSigner.calls.at(-1)).toMatchObject({ username: 'latchkey_control' });
    const assumed = deps.roleAssumer.calls.at(-1)!;
    expect(assumed.roleArn).toBe(ROLE_ARN);
    expect(JSON.parse(assumed.policy).Statement).toEqual([
      expect.objectContaining({ Action: 'rds-db:connect', Resource: `arn:aws:rds-db:eu-central-1:111122223333:dbuser:${aTarget().resourceId}/latchkey_control` }),
    ]);
    const againAt = at(15).toISOString(); // the token issued at T0 opens connections for 15 minutes
    expect(dbEvents()).toEqual([
      expect.objectContaining({ action: 'db.sessions_terminated', outcome: 'success', actorId: approver.id, details: { reason: 'revoked', attempt: 1, terminated: [mine], againAt } }),
    ]);
    for (const secret of secrets) expect(JSON.stringify(deps.issuances.events)).not.toContain(secret);
    expect(await deps.issuances.dbSessionsOf(TENANT, REQ)).toMatchObject({ status: 'due', dueAt: againAt });
  });

  it('ends, when the grant’s last token expires, a session that token opened after the revoke; then nothing is due', async () => {
    await revokeGrant(deps, approver, { requestId: REQ });
    const reopened = deps.databaseSessions.open('app_ro', `lk-${REQ}`);
    deps.clock.set(at(14));
    await sweepHandler(deps)(undefined, lambdaContext);
    expect(deps.databaseSessions.live.has(reopened)).toBe(true);
    deps.clock.set(at(15));
    await sweepHandler(deps)(undefined, lambdaContext);
    expect(deps.databaseSessions.live.has(reopened)).toBe(false);
    expect(dbEvents().at(-1)?.details).toEqual({ reason: 'revoked', attempt: 2, terminated: [reopened] });
    expect((await deps.issuances.dbSessionsOf(TENANT, REQ))?.status).toBe('ended');
  });

  it('leaves another open grant’s sessions on the same user, and reports (not ends) an untagged one while that grant is open', async () => {
    deps.requests.seed(approvedGrant(60, OTHER));
    await issueCredentials(deps, requester, { requestId: OTHER });
    const mine = deps.databaseSessions.open('app_ro', `lk-${REQ}`);
    const theirs = deps.databaseSessions.open('app_ro', `lk-${OTHER}`);
    const untagged = deps.databaseSessions.open('app_ro', 'psql');

    const { database } = await revokeGrant(deps, approver, { requestId: REQ });
    expect(database).toMatchObject({ terminated: [mine], unattributed: [untagged] });
    expect([...deps.databaseSessions.live.keys()].sort()).toEqual([theirs, untagged].sort());

    // With no open grant left on the user, the untagged one goes with the last.
    const last = await revokeGrant(deps, approver, { requestId: OTHER });
    expect(last.database).toMatchObject({ terminated: [theirs, untagged], unattributed: [] });
  });

  it('does nothing and logs nothing for a grant that never had credentials', async () => {
    deps.requests.seed(approvedGrant(60, OTHER));
    const { database } = await revokeGrant(deps, approver, { requestId: OTHER });
    expect(database).toEqual({ outcome: 'nothing_due' });
    expect(deps.databaseSessions.calls).toHaveLength(0);
    expect(dbEvents()).toHaveLength(0);
  });
});

describe('when the database cannot be reached', () => {
  it('logs the failure with its reason and the next attempt, retries with backoff from the sweeper, and succeeds later', async () => {
    deps.databaseSessions.failWith = 'ECONNREFUSED';
    const first = await revokeGrant(deps, approver, { requestId: REQ });
    expect(first.database).toEqual({ outcome: 'failed', attempt: 1, error: 'ECONNREFUSED', nextAttemptAt: new Date(at(0).getTime() + retryDelayMs(1)).toISOString() });
    expect(dbEvents()).toEqual([expect.objectContaining({ action: 'db.sessions_termination_failed', outcome: 'failure', details: { reason: 'revoked', attempt: 1, error: 'ECONNREFUSED', nextAttemptAt: first.database.outcome === 'failed' ? first.database.nextAttemptAt : '' } })]);

    // Before its time the sweeper leaves it; at its time it tries again.
    const mine = deps.databaseSessions.open('app_ro', `lk-${REQ}`);
    await sweepDeadlines(deps, { onGrantEnded: (t, r) => terminateDatabaseSessions(deps, t, r).then(() => undefined) });
    expect(deps.databaseSessions.calls).toHaveLength(1);
    deps.clock.set(new Date(at(0).getTime() + retryDelayMs(1)));
    deps.databaseSessions.failWith = undefined;
    await sweepHandler(deps)(undefined, lambdaContext);
    expect(deps.databaseSessions.calls).toHaveLength(2);
    expect(deps.databaseSessions.live.has(mine)).toBe(false);
    expect(dbEvents().map((e) => [e.action, e.details?.attempt])).toEqual([['db.sessions_termination_failed', 1], ['db.sessions_terminated', 2]]);
  });

  it('doubles the delay up to 30 minutes and gives up after the last attempt, saying so', async () => {
    expect([1, 2, 3, 4, 7, 8].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 1_800_000, 1_800_000]);
    deps.databaseSessions.failWith = 'ETIMEDOUT';
    await revokeGrant(deps, approver, { requestId: REQ });
    for (let i = 2; i <= MAX_TERMINATION_ATTEMPTS + 2; i++) {
      deps.clock.advance(30 * 60_000);
      await terminateDatabaseSessions(deps, TENANT, REQ);
    }
    expect(deps.databaseSessions.calls).toHaveLength(MAX_TERMINATION_ATTEMPTS);
    expect(dbEvents().at(-1)?.details).toMatchObject({ attempt: MAX_TERMINATION_ATTEMPTS, gaveUp: true });
    expect((await deps.issuances.dbSessionsOf(TENANT, REQ))?.status).toBe('abandoned');
  });

  it('logs an STS refusal by its AWS code, never a secret', async () => {
    deps.roleAssumer.failWith = 'AccessDenied';
    const { database } = await revokeGrant(deps, approver, { requestId: REQ });
    expect(database).toMatchObject({ outcome: 'failed', error: 'AccessDenied' });
    expect(deps.databaseSessions.calls).toHaveLength(0);
  });

  it('writes one event when two terminators race for the same attempt', async () => {
    deps.clock.set(at(61));
    await sweepDeadlines(deps); // ends the grant, nothing else
    await Promise.all([terminateDatabaseSessions(deps, TENANT, REQ), terminateDatabaseSessions(deps, TENANT, REQ)]);
    expect(dbEvents()).toHaveLength(1);
  });
});

describe('at window end', () => {
  it('the sweeper ends the grant and its sessions; a pending extension does not keep them', async () => {
    await extendRequest(deps, requester, { requestId: REQ, minutes: 30, reason: 'more' });
    expect((await deps.requests.get(TENANT, REQ))).toHaveProperty('pendingExtension');
    const mine = deps.databaseSessions.open('app_ro', `lk-${REQ}`);
    deps.clock.set(at(59));
    await sweepHandler(deps)(undefined, lambdaContext);
    expect(deps.databaseSessions.live.has(mine)).toBe(true);
    deps.clock.set(at(60));
    await sweepHandler(deps)(undefined, lambdaContext);
    expect(deps.databaseSessions.live.has(mine)).toBe(false);
    expect(dbEvents()).toEqual([expect.objectContaining({ action: 'db.sessions_terminated', actorId: 'latchkey', details: expect.objectContaining({ reason: 'window_ended' }) })]);
  });

  it('never ends the sessions of a grant still open (an extension moved its window past the due time)', async () => {
    const mine = deps.databaseSessions.open('app_ro', `lk-${REQ}`);
    expect(await terminateDatabaseSessions(deps, TENANT, REQ, { immediate: true })).toEqual({ outcome: 'nothing_due' });
    expect(deps.databaseSessions.live.has(mine)).toBe(true);
  });
});
