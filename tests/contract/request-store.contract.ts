import { describe, expect, it } from 'vitest';
import { deadlineOf, type AccessRequest } from '#shared/requests/access-request';
import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { BreakGlassLimitError } from '#shared/requests/errors';
import type { RequestStore } from '#shared/requests/ports';
import * as transitions from '#shared/requests/transitions';
import { target, user } from '../support/builders.ts';
import { actionsOf, allPages, contractTenant, type Harness } from './harness.ts';

// The promises of RequestStore (shared/requests/ports.ts), run against the
// in-memory fake and DynamoRequestStore alike.

const t0 = new Date('2026-11-24T09:00:00.000Z');
let n = 0;
const nextId = () => `req_01JCONTRACT${String(++n).padStart(8, '0')}${process.pid}`;
const approver = (tenantId: string) => user(tenantId, 'bob', ['approver'], ['dba']);

function newRequest(tenantId: string, options: { requesterId?: string; kind?: 'user' | 'service'; now?: Date; durationMinutes?: number; targetId?: string } = {}) {
  const requester = { ...user(tenantId, options.requesterId ?? 'alice', ['requester']), kind: options.kind ?? 'user' };
  return transitions.createRequest({
    tenantId,
    requestId: nextId(),
    target: target(tenantId, options.targetId ?? 'tgt_01JTESTTARGET0001'),
    databaseUser: 'app_ro',
    requester,
    durationMinutes: options.durationMinutes ?? 60,
    reason: 'incident 42',
    now: options.now ?? t0,
  });
}

function breakGlassOpen(tenantId: string, options: { requesterId?: string; now?: Date } = {}) {
  const requester = user(tenantId, options.requesterId ?? 'alice', ['requester']);
  const policy = { ...target(tenantId, 'tgt_01JTESTTARGET0001').policy, breakGlass: { groups: [], principals: [requester.id], maxDurationMinutes: 60, maxPerPersonPerDay: 2 } };
  return transitions.openBreakGlass({
    tenantId,
    requestId: nextId(),
    target: { ...target(tenantId, 'tgt_01JTESTTARGET0001'), policy },
    databaseUser: 'app_ro',
    requester,
    durationMinutes: 30,
    reason: 'prod down',
    now: options.now ?? t0,
  });
}
const quotaOf = (change: { next: AccessRequest }, limit = 2) => ({ requester: { id: change.next.requesterId, kind: change.next.requesterKind }, day: change.next.createdAt.slice(0, 10), limit });

export function describeRequestStoreContract(name: string, make: () => Harness<RequestStore>): void {
  describe(`RequestStore contract: ${name}`, () => {
    it('returns what create wrote, and writes its log entries with it', async () => {
      const h = make();
      const tenant = contractTenant();
      const change = newRequest(tenant);
      await h.store.create(change);

      expect(await h.store.get(tenant, change.next.requestId)).toEqual(change.next);
      expect(await actionsOf(h, tenant)).toEqual(['request.created']);
    });

    it('hands out copies: changing what get returned changes nothing stored', async () => {
      const h = make();
      const tenant = contractTenant();
      const change = newRequest(tenant);
      await h.store.create(change);
      const read = (await h.store.get(tenant, change.next.requestId))!;
      (read as { reason: string }).reason = 'tampered';

      expect(await h.store.get(tenant, change.next.requestId)).toEqual(change.next);
    });

    it('refuses a second create of the same id with AlreadyExistsError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const change = newRequest(tenant);
      await h.store.create(change);
      const again = { ...change, next: { ...change.next, reason: 'other' } as AccessRequest };

      await expect(h.store.create(again)).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await h.store.get(tenant, change.next.requestId)).toEqual(change.next);
      expect(await actionsOf(h, tenant)).toEqual(['request.created']);
    });

    it("has no request of another tenant: get with the other tenant's id is undefined", async () => {
      const h = make();
      const tenant = contractTenant();
      const change = newRequest(tenant);
      await h.store.create(change);

      expect(await h.store.get(contractTenant(), change.next.requestId)).toBeUndefined();
      expect(await h.store.get(tenant, nextId())).toBeUndefined();
    });

    it('saves the next state at the current version, with its log entry', async () => {
      const h = make();
      const tenant = contractTenant();
      const created = newRequest(tenant);
      await h.store.create(created);
      const approved = transitions.approve(created.next, approver(tenant), target(tenant, 'x').policy, t0);
      await h.store.save(approved, created.next.version);

      expect(await h.store.get(tenant, created.next.requestId)).toEqual(approved.next);
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved']);
    });

    it('refuses a save at a stale version with ConcurrentModificationError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const created = newRequest(tenant);
      await h.store.create(created);
      const first = transitions.approve(created.next, approver(tenant), target(tenant, 'x').policy, t0);
      await h.store.save(first, created.next.version);

      const stale = transitions.deny(created.next, approver(tenant), t0);
      await expect(h.store.save(stale, created.next.version)).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await h.store.get(tenant, created.next.requestId)).toEqual(first.next);
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.approved']);
    });

    it('refuses a save of a request that was never created with ConcurrentModificationError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const created = newRequest(tenant);
      const approved = transitions.approve(created.next, approver(tenant), target(tenant, 'x').policy, t0);

      await expect(h.store.save(approved, created.next.version)).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await h.store.get(tenant, created.next.requestId)).toBeUndefined();
      expect(await actionsOf(h, tenant)).toEqual([]);
    });

    it("pages a requester's requests newest first, each exactly once, and nobody else's", async () => {
      const h = make();
      const tenant = contractTenant();
      const mine: string[] = [];
      for (let i = 0; i < 5; i++) {
        const change = newRequest(tenant, { requesterId: 'carol', now: new Date(t0.getTime() + i * 1000) });
        mine.push(change.next.requestId);
        await h.store.create(change);
      }
      await h.store.create(newRequest(tenant, { requesterId: 'dave' }));
      // A service whose id equals the person's: a person and a service never share requests.
      await h.store.create(newRequest(tenant, { requesterId: 'carol', kind: 'service' }));
      const other = contractTenant();
      await h.store.create(newRequest(other, { requesterId: 'carol' }));

      const { items, pages } = await allPages((cursor) => h.store.listByRequester(tenant, { id: 'carol', kind: 'user' }, { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(items.map((r) => r.requestId)).toEqual([...mine].reverse());
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('pages requests of one status, each exactly once, and no other status or tenant', async () => {
      const h = make();
      const tenant = contractTenant();
      const pending: string[] = [];
      for (let i = 0; i < 4; i++) {
        const change = newRequest(tenant, { now: new Date(t0.getTime() + i * 1000) });
        await h.store.create(change);
        if (i === 1) await h.store.save(transitions.approve(change.next, approver(tenant), target(tenant, 'x').policy, t0), change.next.version);
        else pending.push(change.next.requestId);
      }
      await h.store.create(newRequest(contractTenant()));

      const { items } = await allPages((cursor) => h.store.listByStatus(tenant, 'pending', { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(items.map((r) => r.requestId)).toEqual([...pending].reverse());
      expect(items.every((r) => r.status === 'pending')).toBe(true);
    });

    it('lists every approved request on one target, and none pending, on another target or of another tenant', async () => {
      const h = make();
      const tenant = contractTenant();
      const approve = async (change: ReturnType<typeof newRequest>) => {
        await h.store.create(change);
        await h.store.save(transitions.approve(change.next, approver(change.next.tenantId), target(tenant, 'x').policy, t0), change.next.version);
        return change.next.requestId;
      };
      const onTarget = [await approve(newRequest(tenant)), await approve(newRequest(tenant, { now: new Date(t0.getTime() + 1000) }))];
      await h.store.create(newRequest(tenant));
      await approve(newRequest(tenant, { targetId: 'tgt_01JTESTTARGET0002' }));
      await approve(newRequest(contractTenant()));

      const listed = await h.store.listApprovedOnTarget(tenant, 'tgt_01JTESTTARGET0001');

      expect(listed.map((r) => r.requestId).sort()).toEqual([...onTarget].sort());
      expect(listed.every((r) => r.status === 'approved' && r.targetId === 'tgt_01JTESTTARGET0001' && r.tenantId === tenant)).toBe(true);
      expect(listed[0]).toEqual(await h.store.get(tenant, listed[0]!.requestId));
    });

    it('refuses a cursor from another query with ValidationError', async () => {
      const h = make();
      const tenant = contractTenant();
      for (let i = 0; i < 3; i++) await h.store.create(newRequest(tenant, { now: new Date(t0.getTime() + i * 1000) }));
      const first = await h.store.listByRequester(tenant, { id: 'alice', kind: 'user' }, { limit: 1 });
      expect(first.nextCursor).toBeDefined();

      await expect(h.store.listByRequester(contractTenant(), { id: 'alice', kind: 'user' }, { limit: 1, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
      await expect(h.store.listByRequester(tenant, { id: 'someone-else', kind: 'user' }, { limit: 1, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
      await expect(h.store.listByStatus(tenant, 'pending', { limit: 1, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
      await expect(h.store.listByStatus(tenant, 'pending', { limit: 1, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(ValidationError);
    });

    it('lists as due the requests whose deadline is at or before `until`, and not the later ones', async () => {
      const h = make();
      const tenant = contractTenant();
      // Pending requests are due at their decision deadline; read it back from the domain rather than guess it.
      const early = newRequest(tenant, { now: t0 });
      const late = newRequest(tenant, { now: new Date(t0.getTime() + 3 * 86_400_000) });
      await h.store.create(early);
      await h.store.create(late);
      const deadline = deadlineOf(early.next)!;

      const due = [];
      for await (const d of h.store.listDue(new Date(deadline), 2)) if (d.tenantId === tenant) due.push(d);
      expect(due).toEqual([{ tenantId: tenant, requestId: early.next.requestId, deadline }]);
    });

    it('opens break-glass grants up to the daily limit, then refuses with BreakGlassLimitError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const first = breakGlassOpen(tenant);
      const second = breakGlassOpen(tenant, { now: new Date(t0.getTime() + 1000) });
      const third = breakGlassOpen(tenant, { now: new Date(t0.getTime() + 2000) });
      await h.store.openBreakGlass(first, quotaOf(first));
      await h.store.openBreakGlass(second, quotaOf(second));

      await expect(h.store.openBreakGlass(third, quotaOf(third))).rejects.toBeInstanceOf(BreakGlassLimitError);
      expect(await h.store.get(tenant, third.next.requestId)).toBeUndefined();
      expect(await actionsOf(h, tenant)).toEqual(['request.created', 'request.break_glass_opened', 'request.created', 'request.break_glass_opened']);
      // Another person, or the next day, has an allowance of its own.
      const bob = breakGlassOpen(tenant, { requesterId: 'bob' });
      await h.store.openBreakGlass(bob, quotaOf(bob));
      const tomorrow = breakGlassOpen(tenant, { now: new Date(t0.getTime() + 86_400_000) });
      await h.store.openBreakGlass(tomorrow, quotaOf(tomorrow));
    });

    it('never opens more than the daily limit under concurrent opens', async () => {
      const h = make();
      const tenant = contractTenant();
      const changes = Array.from({ length: 6 }, (_, i) => breakGlassOpen(tenant, { now: new Date(t0.getTime() + i) }));

      const results = await Promise.allSettled(changes.map((c) => h.store.openBreakGlass(c, quotaOf(c))));

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BreakGlassLimitError);
      const stored = (await Promise.all(changes.map((c) => h.store.get(tenant, c.next.requestId)))).filter(Boolean);
      expect(stored).toHaveLength(2);
      expect((await actionsOf(h, tenant)).filter((a) => a === 'request.break_glass_opened')).toHaveLength(2);
    });

    it('lists break-glass grants as unreviewed, newest first, until saveReview', async () => {
      const h = make();
      const tenant = contractTenant();
      const older = breakGlassOpen(tenant);
      const newer = breakGlassOpen(tenant, { now: new Date(t0.getTime() + 1000) });
      await h.store.openBreakGlass(older, quotaOf(older));
      await h.store.openBreakGlass(newer, quotaOf(newer));
      await h.store.create(newRequest(tenant));

      const listed = await allPages((cursor) => h.store.listUnreviewed(tenant, { limit: 1, ...(cursor ? { cursor } : {}) }));
      expect(listed.items.map((r) => r.requestId)).toEqual([newer.next.requestId, older.next.requestId]);
      expect(await h.store.listUnreviewed(contractTenant(), { limit: 10 })).toEqual({ items: [] });

      const review = transitions.reviewBreakGlass(newer.next, approver(tenant), new Date(t0.getTime() + 5000), { outcome: 'acknowledged', note: 'seen' });
      await h.store.saveReview(review, newer.next.version);
      expect((await h.store.listUnreviewed(tenant, { limit: 10 })).items.map((r) => r.requestId)).toEqual([older.next.requestId]);
      expect(await h.store.get(tenant, newer.next.requestId)).toEqual(review.next);
      await expect(h.store.saveReview(review, newer.next.version)).rejects.toBeInstanceOf(ConcurrentModificationError);
    });
  });
}
