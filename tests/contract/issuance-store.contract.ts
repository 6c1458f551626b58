import { describe, expect, it } from 'vitest';
import type { ApprovedRequest } from '#shared/requests/access-request';
import type { LogEntry } from '#shared/grant-log/events';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import type { DbSessionsRecord, IssuanceStore, SessionRecord } from '#shared/minting/ports';
import type { RequestStore } from '#shared/requests/ports';
import * as transitions from '#shared/requests/transitions';
import { target, user } from '../support/builders.ts';
import { actionsOf, contractTenant, type Harness } from './harness.ts';

// The promises of IssuanceStore (shared/minting/ports.ts), for the fake and
// DynamoIssuanceStore alike. Both read the request the same request store wrote.

export type IssuanceHarness = Harness<IssuanceStore> & { requests: RequestStore };

const t0 = new Date('2030-01-15T09:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let n = 0;
const approver = (tenantId: string) => user(tenantId, 'bob', ['approver'], ['dba']);

async function approvedRequest(h: IssuanceHarness, tenantId: string): Promise<ApprovedRequest> {
  const tgt = target(tenantId, 'tgt_01JTESTTARGET0001');
  const created = transitions.createRequest({
    tenantId, requestId: `req_01JCTISSUE${String(++n).padStart(8, '0')}${process.pid}`, target: tgt, databaseUser: 'app_ro',
    requester: user(tenantId, 'alice', ['requester']), durationMinutes: 60, reason: 'incident 42', now: t0,
  });
  await h.requests.create(created);
  const approved = transitions.approve(created.next, approver(tenantId), tgt.policy, t0);
  await h.requests.save(approved, created.next.version);
  return approved.next as ApprovedRequest;
}

const entry = (request: ApprovedRequest, action: LogEntry['action'], when = at(1)): LogEntry => ({
  tenantId: request.tenantId, at: when.toISOString(), action, actorId: 'alice', actorKind: 'user', outcome: action === 'credentials.failed' ? 'failure' : 'success',
  requestId: request.requestId, targetId: request.targetId, databaseUser: request.databaseUser, requesterId: request.requesterId,
});

const session = (request: ApprovedRequest, sessionId: string, startedAt = at(1)): SessionRecord => ({
  tenantId: request.tenantId, requestId: request.requestId, sessionId, region: 'eu-central-1', instanceId: 'i-0123456789abcdef0',
  integrationId: 'int_01JTESTINTEGRATION1', startedAt: startedAt.toISOString(), status: 'active',
});

export function describeIssuanceStoreContract(name: string, make: () => IssuanceHarness): void {
  describe(`IssuanceStore contract: ${name}`, () => {
    it('records the issued event and the sessions while the grant is approved at that version, and leaves the request as it was', async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);

      await h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued'), [session(request, 'lk-s-1')]);

      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved', 'credentials.issued']);
      expect(await h.store.sessionsOf(tenant, request.requestId)).toEqual([session(request, 'lk-s-1')]);
      expect(await h.requests.get(tenant, request.requestId)).toEqual(request);
    });

    it.each([
      ['revoked meanwhile', async (h: IssuanceHarness, r: ApprovedRequest) => h.requests.save(transitions.revoke(r, approver(r.tenantId), at(1)), r.version), 1],
      ['past its window end', async () => undefined, 61],
      ['at exactly its window end', async () => undefined, 60],
    ])('writes nothing for a grant %s: ConcurrentModificationError', async (_, change, minute) => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);
      await change(h, request);
      const before = await actionsOf(h, tenant);

      await expect(h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued', at(minute)), [session(request, 'lk-s-2')])).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await actionsOf(h, tenant)).toEqual(before);
      expect(await h.store.sessionsOf(tenant, request.requestId)).toEqual([]);
    });

    it('writes nothing at a stale version: ConcurrentModificationError', async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);

      await expect(h.store.recordIssuance(request, request.version - 1, entry(request, 'credentials.issued'), [session(request, 'lk-s-3')])).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved']);
      expect(await h.store.sessionsOf(tenant, request.requestId)).toEqual([]);
    });

    it('records a session once: issuing again with the same session id is ConcurrentModificationError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);
      await h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued'), [session(request, 'lk-s-4')]);

      await expect(h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued', at(2)), [session(request, 'lk-s-4', at(2))])).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved', 'credentials.issued']);
      expect(await h.store.sessionsOf(tenant, request.requestId)).toEqual([session(request, 'lk-s-4')]);
    });

    it('records a failure as an event on its own', async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);

      await h.store.recordFailure(entry(request, 'credentials.failed'));
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved', 'credentials.failed']);
      expect(await h.requests.get(tenant, request.requestId)).toEqual(request);
    });

    it('terminates active sessions once: a second termination is ConcurrentModificationError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);
      const s = session(request, 'lk-s-5');
      await h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued'), [s]);

      await h.store.recordTermination(entry(request, 'ssm.sessions_terminated', at(5)), [s]);
      expect(await h.store.sessionsOf(tenant, request.requestId)).toEqual([{ ...s, status: 'terminated', terminatedAt: at(5).toISOString() }]);

      await expect(h.store.recordTermination(entry(request, 'ssm.sessions_terminated', at(6)), [s])).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved', 'credentials.issued', 'ssm.sessions_terminated']);
    });

    it("lists a request's sessions oldest first, and none for another tenant", async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);
      const later = session(request, 'lk-s-a-later', at(3));
      const earlier = session(request, 'lk-s-z-earlier', at(2));
      await h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued', at(3)), [later, earlier]);

      expect((await h.store.sessionsOf(tenant, request.requestId)).map((x) => x.sessionId)).toEqual(['lk-s-z-earlier', 'lk-s-a-later']);
      expect(await h.store.sessionsOf(contractTenant(), request.requestId)).toEqual([]);
    });

    it("keeps a grant's database-sessions record due at its time, and records each attempt once, with its event", async () => {
      const h = make();
      const tenant = contractTenant();
      const request = await approvedRequest(h, tenant);
      const due = async (until: Date) => {
        const out: string[] = [];
        for await (const d of h.requests.listDue(until, 1)) if (d.tenantId === tenant) out.push(`${d.requestId}@${d.deadline}`);
        return out;
      };
      const record: DbSessionsRecord = {
        tenantId: tenant, requestId: request.requestId, status: 'due', attempts: 0, failures: 0, dueAt: request.windowEnd, tokensValidUntil: at(16).toISOString(),
      };
      await h.store.recordIssuance(request, request.version, entry(request, 'credentials.issued'), [], record);
      expect(await h.store.dbSessionsOf(tenant, request.requestId)).toEqual(record);
      expect(await h.store.dbSessionsOf(contractTenant(), request.requestId)).toBeUndefined();

      const retry: DbSessionsRecord = { ...record, attempts: 1, failures: 1, dueAt: at(5).toISOString() };
      await h.store.recordDbSessionsAttempt(entry(request, 'db.sessions_termination_failed', at(4)), retry);
      expect(await due(at(5))).toEqual([`${request.requestId}@${at(5).toISOString()}`]);
      // The same attempt again (a racing terminator) writes nothing.
      await expect(h.store.recordDbSessionsAttempt(entry(request, 'db.sessions_termination_failed', at(4)), retry)).rejects.toBeInstanceOf(ConcurrentModificationError);

      await h.store.recordDbSessionsAttempt(entry(request, 'db.sessions_terminated', at(6)), { ...retry, attempts: 2, failures: 0, status: 'ended' });
      expect(await h.store.dbSessionsOf(tenant, request.requestId)).toMatchObject({ status: 'ended', attempts: 2 });
      // Only the request's own window end is left in the due index.
      expect(await due(at(120))).toEqual([`${request.requestId}@${request.windowEnd}`]);
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved', 'credentials.issued', 'db.sessions_termination_failed', 'db.sessions_terminated']);
    });
  });
}
