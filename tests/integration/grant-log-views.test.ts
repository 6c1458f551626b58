import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import type { AccessRequest } from '#shared/requests/access-request';
import { LogAction } from '#shared/grant-log/events';
import * as transitions from '#shared/requests/transitions';
import { ForbiddenError, NotFoundError } from '#shared/kernel/errors';
import { accessSummary } from '#shared/audit/access-summary';
import { requestTimeline } from '#shared/audit/query-events';
import { target, user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { allPages, auditor, logEntry, recordCommands, writeEntries } from '../support/grant-log.ts';

// The request timeline and the access summary, over requests written through
// the real request store (state and event in one transaction).

const stores = dynamoStores();
const sent = recordCommands(stores.db);
const t0 = new Date('2026-11-24T09:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const tgtA = 'tgt_01JTESTTARGETAAAA';
const tgtB = 'tgt_01JTESTTARGETBBBB';
let n = 0;

let tenant: string;
const clock = { now: () => later(90) };
const deps = { clock, log: new DynamoGrantLogReader(stores.db, stores.tables), requests: stores.requests };

async function granted(requesterId: string, targetId: string, databaseUser: string, at: Date, durationMinutes: number): Promise<AccessRequest> {
  const created = transitions.createRequest({
    tenantId: tenant,
    requestId: `req_01JVIEW${String(++n).padStart(10, '0')}`,
    target: target(tenant, targetId),
    databaseUser,
    requester: user(tenant, requesterId, ['requester']),
    durationMinutes,
    reason: 'on call',
    now: at,
  });
  await stores.requests.create(created);
  const approved = transitions.approve(created.next, user(tenant, 'dana', ['approver'], ['dba']), target(tenant, targetId).policy, at);
  await stores.requests.save(approved, created.next.version);
  return approved.next;
}

let open: AccessRequest;
let closed: AccessRequest;

beforeAll(async () => {
  tenant = freshTenant('views');
  open = await granted('alice', tgtA, 'app_ro', later(60), 120); // open at +90
  closed = await granted('bob', tgtA, 'app_ro', later(0), 30); // window ended at +30, not swept yet
  await granted('alice', tgtB, 'app_rw', later(10), 60); // ended at +70
  await writeEntries(stores.log, [
    logEntry(tenant, { at: later(61).toISOString(), action: LogAction.credentialsIssued, actorId: 'alice', requesterId: 'alice', requestId: open.requestId, targetId: tgtA, databaseUser: 'app_ro' }),
    logEntry(tenant, { at: later(62).toISOString(), action: LogAction.credentialsIssued, actorId: 'alice', requesterId: 'alice', requestId: open.requestId, targetId: tgtA, databaseUser: 'app_ro' }),
  ]);
});

afterAll(() => {
  expect(sent.filter((c) => /Scan/.test(c.name))).toEqual([]);
});

describe('request timeline', () => {
  it('lists every event of one request in seq order, across pages', async () => {
    const { items } = await allPages((cursor) => requestTimeline(deps, auditor(tenant), { requestId: open.requestId, limit: 1, ...(cursor ? { cursor } : {}) }));
    expect(items.map((e) => e.action)).toEqual([LogAction.requestCreated, LogAction.requestApproved, LogAction.credentialsIssued, LogAction.credentialsIssued]);
    expect(items.every((e) => e.requestId === open.requestId)).toBe(true);
  });

  it('treats a request with no events, or another tenant’s, as not found', async () => {
    await expect(requestTimeline(deps, auditor(tenant), { requestId: 'req_01JVIEWNOSUCHTHING', limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(requestTimeline(deps, auditor(freshTenant('stranger')), { requestId: open.requestId, limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is for auditors and admins only', async () => {
    await expect(requestTimeline(deps, user(tenant, 'alice', ['requester']), { requestId: open.requestId, limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('access summary', () => {
  it('shows open grants now and who had access to what over the range', async () => {
    const summary = await accessSummary(deps, auditor(tenant), { from: t0.toISOString(), to: later(120).toISOString() });
    expect(summary.activeGrants).toEqual([
      { requestId: open.requestId, requesterId: 'alice', targetId: tgtA, databaseUser: 'app_ro', windowStart: later(60).toISOString(), windowEnd: later(180).toISOString() },
    ]);
    expect(summary.history).toEqual([
      {
        targetId: tgtA,
        databaseUser: 'app_ro',
        requesters: [
          { requesterId: 'alice', grants: 1, issuances: 2, lastAt: later(62).toISOString() },
          { requesterId: 'bob', grants: 1, issuances: 0, lastAt: later(0).toISOString() },
        ],
      },
      { targetId: tgtB, databaseUser: 'app_rw', requesters: [{ requesterId: 'alice', grants: 1, issuances: 0, lastAt: later(10).toISOString() }] },
    ]);
    expect(summary.truncated).toBe(false);
    expect(closed.status).toBe('approved');
  });

  it('narrows to a target and a range', async () => {
    const summary = await accessSummary(deps, auditor(tenant), { from: later(5).toISOString(), to: later(120).toISOString(), targetId: tgtA });
    expect(summary.activeGrants.map((g) => g.targetId)).toEqual([tgtA]);
    expect(summary.history.map((h) => [h.targetId, h.requesters.map((r) => r.requesterId)])).toEqual([[tgtA, ['alice']]]);
  });

  it('is for auditors and admins only', async () => {
    await expect(accessSummary(deps, user(tenant, 'dana', ['approver'], ['dba']), {})).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lists grants ended with database sessions still open, by their latest attempt: a failure, or sessions it could not attribute', async () => {
    const t = freshTenant('left-open');
    const ev = (requestId: string, minute: number, action: LogAction, details: Record<string, unknown>) =>
      logEntry(t, { requestId, at: later(minute).toISOString(), action, outcome: action === LogAction.dbSessionsTerminated ? 'success' : 'failure', details, requesterId: 'alice', targetId: tgtA });
    const retried = 'req_01JTESTRETRIED00001';
    const failing = 'req_01JTESTFAILING00001';
    const unclear = 'req_01JTESTUNCLEAR00001';
    await writeEntries(stores.log, [
      ev(retried, 1, LogAction.dbSessionsTerminationFailed, { reason: 'revoked', attempt: 1, error: 'ETIMEDOUT', nextAttemptAt: later(2).toISOString() }),
      ev(retried, 3, LogAction.dbSessionsTerminated, { reason: 'revoked', attempt: 2, terminated: [41] }),
      ev(failing, 4, LogAction.dbSessionsTerminationFailed, { reason: 'window_ended', attempt: 8, error: 'SQLSTATE_28000', gaveUp: true }),
      ev(unclear, 5, LogAction.dbSessionsTerminated, { reason: 'revoked', attempt: 1, terminated: [], unattributed: [77] }),
    ]);
    const summary = await accessSummary(deps, auditor(t), { from: t0.toISOString(), to: later(120).toISOString() });
    expect(summary.sessionsLeftOpen).toEqual([
      { requestId: unclear, requesterId: 'alice', targetId: tgtA, databaseUser: 'app_ro', at: later(5).toISOString(), unattributed: [77] },
      { requestId: failing, requesterId: 'alice', targetId: tgtA, databaseUser: 'app_ro', at: later(4).toISOString(), error: 'SQLSTATE_28000', gaveUp: true },
    ]);
  });
});
