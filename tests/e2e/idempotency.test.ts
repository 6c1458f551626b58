import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { documentedFetch } from '../support/api.ts';
import { targetInput, policy } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { control, installAndVerify, linkAccount } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';

// Idempotency-Key over HTTP against the local stack (Powertools Idempotency on DynamoDB Local):
// a retry with the same key and call replays the first success and changes nothing more; the same key
// for another call is a 422; a key is the caller's own; credentials are never replayed.

const stores = dynamoStores();
const ask = { databaseUser: 'app_ro', durationMinutes: 60, reason: 'INC-4711' };

type Answer = { status: number; body: any; replayed: boolean };

/** A POST with a bearer token and, when given, an Idempotency-Key; checked against docs/openapi.json. */
function caller(token: string) {
  return async (path: string, body: unknown, key?: string): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    const response = await documentedFetch(`${inject('apiUrl')}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json(), replayed: response.headers.get('idempotent-replayed') === 'true' };
  };
}

async function people(tenant: string) {
  const as = async (sub: string, roles: string[], groups: string[] = []) => caller(await tokenFor({ sub, tenant, roles, groups }));
  const admin = await as('ada', ['admin']);
  const created = await admin('/targets', targetInput({ policy: policy({ approvalsRequired: 1 }) }));
  expect(created.status).toBe(201);
  return { targetId: created.body.targetId as string, alice: await as('alice', ['requester']), carol: await as('carol', ['requester']), bob: await as('bob', ['approver'], ['dba']) };
}

const actionsOf = async (tenant: string, requestId?: string) =>
  (await stores.events(tenant)).filter((e) => requestId === undefined || e.requestId === requestId).map((e) => e.action);

describe('Idempotency-Key over HTTP', () => {
  let tenant: string;
  let p: Awaited<ReturnType<typeof people>>;
  beforeAll(async () => {
    tenant = freshTenant('idem');
    p = await people(tenant);
  });

  it('replays the first POST /requests for the same key and body: one request, one event', async () => {
    const key = randomUUID();
    const first = await p.alice('/requests', { targetId: p.targetId, ...ask }, key);
    expect(first).toMatchObject({ status: 201, replayed: false });
    const retry = await p.alice('/requests', { ...ask, targetId: p.targetId }, key); // same body, keys in another order
    expect(retry).toEqual({ status: 201, body: first.body, replayed: true });
    expect(await actionsOf(tenant, first.body.requestId)).toEqual(['request.created']);
    // Without a key a repeat is a new call (today's behaviour for callers that send none).
    const unkeyed = await p.alice('/requests', { targetId: p.targetId, ...ask });
    expect(unkeyed.body.requestId).not.toBe(first.body.requestId);
  });

  it('answers 422 for the same key with another body, route or request, and changes nothing', async () => {
    const key = randomUUID();
    const first = await p.alice('/requests', { targetId: p.targetId, ...ask }, key);
    expect(first.status).toBe(201);
    const before = await actionsOf(tenant);
    const otherBody = await p.alice('/requests', { targetId: p.targetId, ...ask, durationMinutes: 30 }, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error).toBe('idempotency_key_reused');
    const otherRoute = await p.alice(`/requests/${first.body.requestId}/cancel`, {}, key);
    expect(otherRoute.status).toBe(422);
    expect(await actionsOf(tenant)).toEqual(before);
    expect((await p.alice(`/requests/${first.body.requestId}/cancel`, {}, randomUUID())).body.status).toBe('cancelled');
  });

  it("scopes a key to its caller: another requester or tenant with the same key and body gets its own answer, never the first caller's", async () => {
    const key = randomUUID();
    const mine = await p.alice('/requests', { targetId: p.targetId, ...ask }, key);
    const carols = await p.carol('/requests', { targetId: p.targetId, ...ask }, key);
    expect(carols).toMatchObject({ status: 201, replayed: false, body: { requesterId: 'carol' } });
    expect(carols.body.requestId).not.toBe(mine.body.requestId);
    // The same subject in another tenant is another caller too.
    const other = await people(freshTenant('idem-other'));
    const elsewhere = await other.alice('/requests', { targetId: p.targetId, ...ask }, key);
    expect(elsewhere.status).toBe(404); // that tenant has no such target: its own answer, not a replay
    expect(elsewhere.replayed).toBe(false);
  });

  it('lets two identical retries in flight at once make one request: the rest replay it or answer 409 idempotency_in_progress', async () => {
    const key = randomUUID();
    const body = { targetId: p.targetId, ...ask, reason: `concurrent ${key}` };
    const createdBefore = (await actionsOf(tenant)).filter((a) => a === 'request.created').length;
    const answers = await Promise.all(Array.from({ length: 4 }, () => p.alice('/requests', body, key)));
    const ran = answers.filter((a) => a.status === 201 && !a.replayed);
    expect(ran).toHaveLength(1);
    for (const other of answers.filter((a) => a !== ran[0])) {
      if (other.status === 409) expect(other.body.error).toBe('idempotency_in_progress');
      else expect(other).toEqual({ status: 201, body: ran[0]!.body, replayed: true });
    }
    expect((await actionsOf(tenant)).filter((a) => a === 'request.created').length - createdBefore).toBe(1);
    expect(await actionsOf(tenant, ran[0]!.body.requestId)).toEqual(['request.created']);
    // Once the first has finished, the same retry gets its answer.
    expect(await p.alice('/requests', body, key)).toEqual({ status: 201, body: ran[0]!.body, replayed: true });
  });

  it('replays approve, extend, deny and revoke, and cancel, with exactly one event each', async () => {
    const created = await p.alice('/requests', { targetId: p.targetId, ...ask }, randomUUID());
    const id = created.body.requestId as string;
    const steps: Array<[typeof p.bob, string, unknown]> = [
      [p.bob, `/requests/${id}/approve`, { note: 'ok' }],
      [p.alice, `/requests/${id}/extend`, { minutes: 30, reason: 'more' }],
      [p.bob, `/requests/${id}/deny`, { note: 'no more' }],
      [p.bob, `/requests/${id}/revoke`, { note: 'done' }],
    ];
    for (const [who, path, body] of steps) {
      const key = randomUUID();
      const first = await who(path, body, key);
      expect(first.status, path).toBe(200);
      expect(await who(path, body, key), path).toEqual({ ...first, replayed: true });
    }
    expect(await actionsOf(tenant, id)).toEqual(['request.created', 'request.approved', 'extension.requested', 'extension.denied', 'request.revoked']);

    const pending = await p.alice('/requests', { targetId: p.targetId, ...ask });
    const key = randomUUID();
    const cancelled = await p.alice(`/requests/${pending.body.requestId}/cancel`, {}, key);
    expect(cancelled.body.status).toBe('cancelled');
    // Without the key this retry would be a 409 (already cancelled); with it, the first answer.
    expect(await p.alice(`/requests/${pending.body.requestId}/cancel`, {}, key)).toEqual({ ...cancelled, replayed: true });
    expect((await p.alice(`/requests/${pending.body.requestId}/cancel`, {})).status).toBe(409);
  });

  it('stores no refusal: a refused call leaves its key free, and its retry runs again', async () => {
    const created = await p.alice('/requests', { targetId: p.targetId, ...ask });
    const key = randomUUID();
    const self = await p.alice(`/requests/${created.body.requestId}/approve`, {}, key);
    expect(self.status).toBe(403);
    expect((await p.alice(`/requests/${created.body.requestId}/approve`, {}, key)).status).toBe(403);
    expect(await actionsOf(tenant, created.body.requestId)).toEqual(['request.created']);
  });

  it.each([['a space', 'two words'], ['256 characters', 'k'.repeat(256)], ['a non-ASCII character', 'clé']])('refuses a key of %s with 400, creating nothing', async (_what, key) => {
    const before = await actionsOf(tenant);
    const answer = await p.alice('/requests', { targetId: p.targetId, ...ask }, key);
    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([expect.objectContaining({ path: 'idempotency-key' })]);
    expect(await actionsOf(tenant)).toEqual(before);
  });
});

describe('credentials are never replayed', () => {
  const REGION = inject('region');
  const DB = { hostname: 'ledger.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-IDEMPOTENCYE2E000000001', account: '310987654322' };
  const tenant = `idem-creds-${Date.now().toString(36)}`;

  it('mints and logs anew for each call, whatever Idempotency-Key is sent', async () => {
    const adminToken = await tokenFor({ sub: 'ada', tenant, roles: ['admin'] });
    const alice = caller(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
    const bob = caller(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
    await control('databases', { ...DB, region: REGION });
    const { api } = await import('../support/api.ts');
    const linked = await linkAccount(api(adminToken), 'ledger', DB, { databaseUsers: ['app_ro'] });
    await installAndVerify(api(adminToken), linked, `LedgerAccess${Date.now()}`);
    const created = await alice('/requests', { targetId: linked.target.targetId, ...ask });
    expect((await bob(`/requests/${created.body.requestId}/approve`, {})).status).toBe(200);

    const key = randomUUID();
    const first = await alice(`/requests/${created.body.requestId}/credentials`, {}, key);
    const second = await alice(`/requests/${created.body.requestId}/credentials`, {}, key);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.replayed).toBe(false);
    expect(second.body.database.token).not.toBe(first.body.database.token);
    expect((await actionsOf(tenant, created.body.requestId)).filter((a) => a === 'credentials.issued')).toHaveLength(2);
  });
});
