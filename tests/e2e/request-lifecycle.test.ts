import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { targetInput, policy } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { tokenFor } from '../support/tokens.ts';

// Drives the local API over HTTP with tokens from the dev issuer, as a user would.
const stores = dynamoStores();

async function people(tenant: string) {
  const as = async (sub: string, roles: string[], groups: string[] = []) => api(await tokenFor({ sub, tenant, roles, groups }));
  return {
    admin: await as('ada', ['admin', 'auditor']),
    alice: await as('alice', ['requester', 'approver'], ['dba']),
    bob: await as('bob', ['approver'], ['dba']),
    carol: await as('carol', ['approver'], ['dba']),
    mallory: await as('mallory', ['approver'], ['marketing']),
    as,
  };
}

async function setup(tenant: string, approvalsRequired = 1) {
  const p = await people(tenant);
  const created = await p.admin.post('/targets', targetInput({ policy: policy({ approvalsRequired }) }));
  expect(created.status).toBe(201);
  return { ...p, targetId: created.body.targetId as string };
}

const ask = { databaseUser: 'app_ro', durationMinutes: 60, reason: 'investigate INC-4711' };

describe('access request lifecycle over HTTP', () => {
  let tenant: string;
  beforeAll(() => {
    tenant = freshTenant('e2e');
  });

  it('takes a request from creation to an approved grant whose window starts at approval', async () => {
    const { alice, bob, targetId } = await setup(tenant);
    const created = await alice.post('/requests', { targetId, ...ask });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', requesterId: 'alice', databaseUser: 'app_ro' });

    const waiting = await bob.get('/requests?view=approvable');
    expect(waiting.body.items.map((r: { requestId: string }) => r.requestId)).toContain(created.body.requestId);

    const approved = await bob.post(`/requests/${created.body.requestId}/approve`, { note: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(Date.parse(approved.body.windowEnd) - Date.parse(approved.body.windowStart)).toBe(60 * 60_000);
    expect(approved.body.windowStart).toBe(approved.body.approvedAt);

    const events = (await stores.events(tenant)).filter((e) => e.requestId === created.body.requestId);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['request.created', 'alice'],
      ['request.approved', 'bob'],
    ]);
  });

  it('refuses self-approval and an approver the policy does not name, changing nothing', async () => {
    const { alice, mallory, targetId } = await setup(freshTenant('e2e'));
    const created = await alice.post('/requests', { targetId, ...ask });

    const self = await alice.post(`/requests/${created.body.requestId}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.error).toBe('forbidden');

    const outsider = await mallory.post(`/requests/${created.body.requestId}/approve`, {});
    expect([403, 404]).toContain(outsider.status);

    expect((await alice.get(`/requests/${created.body.requestId}`)).body.status).toBe('pending');
  });

  it('needs two distinct approvers when the policy asks for two', async () => {
    const t = freshTenant('e2e');
    const { alice, bob, carol, targetId } = await setup(t, 2);
    const { body: request } = await alice.post('/requests', { targetId, ...ask });

    const first = await bob.post(`/requests/${request.requestId}/approve`, {});
    expect(first.body).toMatchObject({ status: 'pending', approvals: [{ approverId: 'bob' }] });
    const again = await bob.post(`/requests/${request.requestId}/approve`, {});
    expect(again.status).toBe(409);
    const second = await carol.post(`/requests/${request.requestId}/approve`, {});
    expect(second.body.status).toBe('approved');

    const actions = (await stores.events(t)).filter((e) => e.requestId === request.requestId).map((e) => e.action);
    expect(actions).toEqual(['request.created', 'request.approval_recorded', 'request.approved']);
  });

  it('restarts the quorum when the policy changes between approvals', async () => {
    const t = freshTenant('e2e');
    const { admin, alice, bob, carol, targetId } = await setup(t, 2);
    const { body: request } = await alice.post('/requests', { targetId, ...ask });
    expect((await bob.post(`/requests/${request.requestId}/approve`, {})).body.status).toBe('pending');

    const changed = await admin.put(`/targets/${targetId}/policy`, policy({ approvalsRequired: 2, approvers: { groups: ['dba'], principals: [] } }));
    expect(changed.status).toBe(200);

    expect((await carol.post(`/requests/${request.requestId}/approve`, {})).body.status).toBe('pending');
    expect((await bob.post(`/requests/${request.requestId}/approve`, {})).body.status).toBe('approved');
  });

  it('lets no tenant read or change another tenant’s requests and targets', async () => {
    const a = await setup(freshTenant('e2e-a'));
    const { body: request } = await a.alice.post('/requests', { targetId: a.targetId, ...ask });
    const b = await people(freshTenant('e2e-b'));

    for (const client of [b.admin, b.bob]) {
      const reads = [await client.get(`/requests/${request.requestId}`), await client.get(`/targets/${a.targetId}`)];
      for (const r of reads) {
        expect(r.status).toBe(404);
        expect(JSON.stringify(r.body)).not.toContain(a.targetId.slice(4));
      }
      for (const action of ['approve', 'deny', 'revoke', 'cancel']) {
        expect((await client.post(`/requests/${request.requestId}/${action}`, {})).status).toBe(404);
      }
    }
    const bAlice = await b.as('alice', ['requester']);
    expect((await bAlice.post('/requests', { targetId: a.targetId, ...ask })).status).toBe(404);
    expect((await bAlice.get(`/requests/${request.requestId}`)).status).toBe(404);
    expect((await b.admin.get('/requests?view=tenant&status=pending')).body.items).toEqual([]);

    expect((await a.alice.get(`/requests/${request.requestId}`)).body).toMatchObject({ status: 'pending', version: 1 });
  });

  it('ends 50 concurrent approvals of one request in exactly one transition and one event', async () => {
    const t = freshTenant('e2e-race');
    const { alice, as, targetId } = await setup(t);
    const { body: request } = await alice.post('/requests', { targetId, ...ask });
    const approvers = await Promise.all(Array.from({ length: 50 }, (_, i) => as(`approver-${i}`, ['approver'], ['dba'])));

    const results = await Promise.all(approvers.map((c) => c.post(`/requests/${request.requestId}/approve`, {})));

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    const events = (await stores.events(t)).filter((e) => e.requestId === request.requestId);
    expect(events.map((e) => e.action)).toEqual(['request.created', 'request.approved']);
  });

  it('counts both approvers of a quorum of two when 16 approvals race, with exactly two approval events', async () => {
    const t = freshTenant('e2e-quorum-race');
    const { alice, bob, carol, targetId } = await setup(t, 2);
    const { body: request } = await alice.post('/requests', { targetId, ...ask });

    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? bob : carol).post(`/requests/${request.requestId}/approve`, {})));

    // Each approver's first approval is applied, whichever lost the write; the repeats are refused, none dropped silently.
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    expect((await alice.get(`/requests/${request.requestId}`)).body).toMatchObject({ status: 'approved' });
    const actions = (await stores.events(t)).filter((e) => e.requestId === request.requestId).map((e) => e.action);
    expect(actions).toEqual(['request.created', 'request.approval_recorded', 'request.approved']);
  });

  it('answers bad input with a 4xx and a clear message, and changes nothing', async () => {
    const t = freshTenant('e2e-bad');
    const { alice, admin, targetId } = await setup(t);
    const before = (await stores.events(t)).length;
    const cases: [string, unknown][] = [
      ['/requests', { targetId, databaseUser: 'app_ro', durationMinutes: 'soon' }],
      ['/requests', { targetId, databaseUser: 'postgres', durationMinutes: 30, reason: 'x' }],
      ['/requests', { targetId, ...ask, durationMinutes: 100_000 }],
      ['/requests', { targetId, ...ask, durationMinutes: 600 }],
      ['/requests', { targetId, ...ask, extra: true }],
      ['/requests', [1, 2, 3]],
      ['/requests/not-an-id/approve', {}],
    ];
    for (const [path, body] of cases) {
      const res = await alice.post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.body.message).toBe('string');
    }
    expect((await admin.post('/targets', { ...targetInput(), port: 'x' })).status).toBe(400);
    // Crafted cursors: one missing key attributes, one from another listing of the same partition.
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    expect((await alice.get(`/requests?view=mine&cursor=${cursor({ GSI1PK: `T#${t}#REQUESTER#alice` })}`)).status).toBe(400);
    expect((await admin.get(`/targets?cursor=${cursor({ PK: `T#${t}`, SK: 'SERVICE#x' })}`)).status).toBe(400);
    expect((await alice.post('/targets', targetInput())).status).toBe(403);
    expect((await stores.events(t)).length).toBe(before);
  });
});
