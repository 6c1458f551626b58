import { beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, type LatchkeyClient } from '#client/index';
import { client } from '../support/api.ts';
import { targetInput, policy } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { tokenFor } from '../support/tokens.ts';

// Drives the local API over HTTP with tokens from the dev issuer, as a user would, through
// the generated client (client/index.ts, the CLI's): every call is typed by the OpenAPI
// document, and every answer is checked against it (tests/support/api.ts).
const stores = dynamoStores();

async function people(tenant: string) {
  const as = async (sub: string, roles: string[], groups: string[] = []) => client(await tokenFor({ sub, tenant, roles, groups }));
  return {
    admin: await as('ada', ['admin', 'auditor']),
    alice: await as('alice', ['requester', 'approver'], ['dba']),
    bob: await as('bob', ['approver'], ['dba']),
    carol: await as('carol', ['approver'], ['dba']),
    mallory: await as('mallory', ['approver'], ['marketing']),
    as,
  };
}

/** The body of a success, after checking its status. */
function ok<T>(answer: { data?: T; response: Response }, status = 200): T {
  expect(answer.response.status).toBe(status);
  return answer.data!;
}

const approve = (as: LatchkeyClient, requestId: string) => as.POST('/requests/{requestId}/approve', { params: { path: { requestId } }, body: {} });
const getRequest = (as: LatchkeyClient, requestId: string) => as.GET('/requests/{requestId}', { params: { path: { requestId } } });

async function setup(tenant: string, approvalsRequired = 1) {
  const p = await people(tenant);
  const created = ok(await p.admin.POST('/targets', { body: targetInput({ policy: policy({ approvalsRequired }) }) }), 201);
  return { ...p, targetId: created.targetId };
}

const ask = { databaseUser: 'app_ro', durationMinutes: 60, reason: 'investigate INC-4711' };

describe('access request lifecycle over HTTP', () => {
  let tenant: string;
  beforeAll(() => {
    tenant = freshTenant('e2e');
  });

  it('takes a request from creation to an approved grant whose window starts at approval', async () => {
    const { alice, bob, targetId } = await setup(tenant);
    const created = ok(await alice.POST('/requests', { body: { targetId, ...ask } }), 201);
    expect(created).toMatchObject({ status: 'pending', requesterId: 'alice', databaseUser: 'app_ro' });

    const waiting = ok(await bob.GET('/requests', { params: { query: { view: 'approvable' } } }));
    expect(waiting.items.map((r) => r.requestId)).toContain(created.requestId);

    const approved = ok(await bob.POST('/requests/{requestId}/approve', { params: { path: { requestId: created.requestId } }, body: { note: 'ok' } }));
    if (approved.status !== 'approved') throw new Error(`expected approved, got ${approved.status}`);
    expect(Date.parse(approved.windowEnd) - Date.parse(approved.windowStart)).toBe(60 * 60_000);
    expect(approved.windowStart).toBe(approved.approvedAt);

    const events = (await stores.events(tenant)).filter((e) => e.requestId === created.requestId);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['request.created', 'alice'],
      ['request.approved', 'bob'],
    ]);
  });

  it('refuses self-approval and an approver the policy does not name, changing nothing', async () => {
    const { alice, mallory, targetId } = await setup(freshTenant('e2e'));
    const created = ok(await alice.POST('/requests', { body: { targetId, ...ask } }), 201);

    const self = await approve(alice, created.requestId);
    expect(self.response.status).toBe(403);
    expect(errorCodeOf(self.error)).toBe('forbidden');

    const outsider = await approve(mallory, created.requestId);
    expect([403, 404]).toContain(outsider.response.status);

    expect(ok(await getRequest(alice, created.requestId)).status).toBe('pending');
  });

  it('needs two distinct approvers when the policy asks for two', async () => {
    const t = freshTenant('e2e');
    const { alice, bob, carol, targetId } = await setup(t, 2);
    const request = ok(await alice.POST('/requests', { body: { targetId, ...ask } }), 201);

    const first = ok(await approve(bob, request.requestId));
    expect(first).toMatchObject({ status: 'pending', approvals: [{ approverId: 'bob' }] });
    const again = await approve(bob, request.requestId);
    expect(again.response.status).toBe(409);
    expect(errorCodeOf(again.error)).toBe('already_decided');
    expect(ok(await approve(carol, request.requestId)).status).toBe('approved');

    const actions = (await stores.events(t)).filter((e) => e.requestId === request.requestId).map((e) => e.action);
    expect(actions).toEqual(['request.created', 'request.approval_recorded', 'request.approved']);
  });

  it('restarts the quorum when the policy changes between approvals', async () => {
    const t = freshTenant('e2e');
    const { admin, alice, bob, carol, targetId } = await setup(t, 2);
    const request = ok(await alice.POST('/requests', { body: { targetId, ...ask } }), 201);
    expect(ok(await approve(bob, request.requestId)).status).toBe('pending');

    const body = policy({ approvalsRequired: 2, approvers: { groups: ['dba'], principals: [] } });
    ok(await admin.PUT('/targets/{targetId}/policy', { params: { path: { targetId } }, body }));

    expect(ok(await approve(carol, request.requestId)).status).toBe('pending');
    expect(ok(await approve(bob, request.requestId)).status).toBe('approved');
  });

  it('lets no tenant read or change another tenant’s requests and targets', async () => {
    const a = await setup(freshTenant('e2e-a'));
    const request = ok(await a.alice.POST('/requests', { body: { targetId: a.targetId, ...ask } }), 201);
    const b = await people(freshTenant('e2e-b'));
    const path = { requestId: request.requestId };

    for (const as of [b.admin, b.bob]) {
      const reads = [await getRequest(as, request.requestId), await as.GET('/targets/{targetId}', { params: { path: { targetId: a.targetId } } })];
      for (const r of reads) {
        expect(r.response.status).toBe(404);
        expect(JSON.stringify(r.error)).not.toContain(a.targetId.slice(4));
      }
      const writes = [
        await as.POST('/requests/{requestId}/approve', { params: { path }, body: {} }),
        await as.POST('/requests/{requestId}/deny', { params: { path }, body: {} }),
        await as.POST('/requests/{requestId}/revoke', { params: { path }, body: {} }),
        await as.POST('/requests/{requestId}/cancel', { params: { path } }),
      ];
      expect(writes.map((w) => w.response.status)).toEqual([404, 404, 404, 404]);
    }
    const bAlice = await b.as('alice', ['requester']);
    expect((await bAlice.POST('/requests', { body: { targetId: a.targetId, ...ask } })).response.status).toBe(404);
    expect((await getRequest(bAlice, request.requestId)).response.status).toBe(404);
    expect(ok(await b.admin.GET('/requests', { params: { query: { view: 'tenant', status: 'pending' } } })).items).toEqual([]);

    expect(ok(await getRequest(a.alice, request.requestId))).toMatchObject({ status: 'pending', version: 1 });
  });

  it('ends 50 concurrent approvals of one request in exactly one transition and one event', async () => {
    const t = freshTenant('e2e-race');
    const { alice, as, targetId } = await setup(t);
    const request = ok(await alice.POST('/requests', { body: { targetId, ...ask } }), 201);
    const approvers = await Promise.all(Array.from({ length: 50 }, (_, i) => as(`approver-${i}`, ['approver'], ['dba'])));

    const results = await Promise.all(approvers.map((c) => approve(c, request.requestId)));

    const statuses = results.map((r) => r.response.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    const events = (await stores.events(t)).filter((e) => e.requestId === request.requestId);
    expect(events.map((e) => e.action)).toEqual(['request.created', 'request.approved']);
  });

  it('counts both approvers of a quorum of two when 16 approvals race, with exactly two approval events', async () => {
    const t = freshTenant('e2e-quorum-race');
    const { alice, bob, carol, targetId } = await setup(t, 2);
    const request = ok(await alice.POST('/requests', { body: { targetId, ...ask } }), 201);

    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => approve(i % 2 ? bob : carol, request.requestId)));

    // Each approver's first approval is applied, whichever lost the write; the repeats are refused, none dropped silently.
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.response.status !== 200).every((r) => r.response.status === 409)).toBe(true);
    expect(ok(await getRequest(alice, request.requestId))).toMatchObject({ status: 'approved' });
    const actions = (await stores.events(t)).filter((e) => e.requestId === request.requestId).map((e) => e.action);
    expect(actions).toEqual(['request.created', 'request.approval_recorded', 'request.approved']);
  });

  it('answers bad input with a 4xx and a clear message, and changes nothing', async () => {
    const t = freshTenant('e2e-bad');
    const { alice, admin, targetId } = await setup(t);
    const before = (await stores.events(t)).length;
    // Bodies the types rule out, sent on purpose: the cast says "not what the client allows".
    const untyped = (body: unknown) => body as never;
    const answers = [
      await alice.POST('/requests', { body: untyped({ targetId, databaseUser: 'app_ro', durationMinutes: 'soon' }) }),
      await alice.POST('/requests', { body: { targetId, databaseUser: 'postgres', durationMinutes: 30, reason: 'x' } }),
      await alice.POST('/requests', { body: { targetId, ...ask, durationMinutes: 100_000 } }),
      await alice.POST('/requests', { body: { targetId, ...ask, durationMinutes: 600 } }),
      await alice.POST('/requests', { body: untyped({ targetId, ...ask, extra: true }) }),
      await alice.POST('/requests', { body: untyped([1, 2, 3]) }),
      await approve(alice, 'not-an-id'),
    ];
    for (const [i, res] of answers.entries()) {
      expect(res.response.status, `case ${i}`).toBeGreaterThanOrEqual(400);
      expect(res.response.status).toBeLessThan(500);
      expect(typeof res.error?.message).toBe('string');
    }
    expect((await admin.POST('/targets', { body: untyped({ ...targetInput(), port: 'x' }) })).response.status).toBe(400);
    // Crafted cursors: one missing key attributes, one from another listing of the same partition.
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    expect((await alice.GET('/requests', { params: { query: { view: 'mine', cursor: cursor({ GSI1PK: `T#${t}#REQUESTER#alice` }) } } })).response.status).toBe(400);
    expect((await admin.GET('/targets', { params: { query: { cursor: cursor({ PK: `T#${t}`, SK: 'SERVICE#x' }) } } })).response.status).toBe(400);
    expect((await alice.POST('/targets', { body: targetInput() })).response.status).toBe(403);
    expect((await stores.events(t)).length).toBe(before);
  });
});
