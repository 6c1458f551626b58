import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ApiClient } from '../support/api.ts';
import { policy, targetInput } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { tokenFor } from '../support/tokens.ts';

// PUT /targets/{targetId} over HTTP, as an admin would use it: a change refused
// while an open grant relies on it, forced through, a database user added and a
// target moved between integrations, each seen in the setup's "changes" and in the
// grant log, which still verifies. Refusals leave the target and the log as they were.

const stores = dynamoStores();
const ACCOUNT = '111122223333';
const RESOURCE = 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1';
const NEW_ENDPOINT = 'orders-2.abcdefghijkl.eu-central-1.rds.amazonaws.com';
const dbUserArn = (user: string) => `arn:aws:rds-db:eu-central-1:${ACCOUNT}:dbuser:${RESOURCE}/${user}`;

type World = { tenant: string; admin: ApiClient; alice: ApiClient; bob: ApiClient; targetId: string; from: string; to: string; grantId: string };

async function world(): Promise<World> {
  const tenant = freshTenant('chg');
  const as = async (sub: string, roles: string[], groups: string[] = []) => api(await tokenFor({ sub, tenant, roles, groups }));
  const admin = await as('ada', ['admin', 'auditor']);
  const alice = await as('alice', ['requester']);
  const bob = await as('bob', ['approver'], ['dba']);
  const from = (await admin.post('/integrations', { accountId: ACCOUNT, name: 'from' })).body.integrationId as string;
  const to = (await admin.post('/integrations', { accountId: ACCOUNT, name: 'to' })).body.integrationId as string;
  const created = await admin.post('/targets', targetInput({ integrationId: from, databaseUsers: ['app_ro'], policy: policy() }));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const targetId = created.body.targetId as string;
  const request = await alice.post('/requests', { targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'INC-9' });
  expect((await bob.post(`/requests/${request.body.requestId}/approve`, {})).body.status).toBe('approved');
  return { tenant, admin, alice, bob, targetId, from, to, grantId: request.body.requestId };
}

/** What a refusal must leave alone: the stored target and the tenant's grant log. */
async function snapshot(w: World) {
  return { target: (await w.admin.get(`/targets/${w.targetId}`)).body, events: (await stores.events(w.tenant)).length };
}

describe('PUT /targets/{targetId} over HTTP', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });

  it('refuses to move the endpoint under an open grant (409 naming the request), then goes through with force, logged', async () => {
    await w.admin.get(`/integrations/${w.from}/setup`);
    const before = await snapshot(w);

    const refused = await w.admin.put(`/targets/${w.targetId}`, { version: 1, endpoint: NEW_ENDPOINT });

    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'target_change_breaks_open_grants', details: { requestIds: [w.grantId], affected: [{ requestId: w.grantId, fields: ['endpoint'] }] } });
    expect(refused.body.message).toContain(w.grantId);
    expect(await snapshot(w)).toEqual(before);

    const forced = await w.admin.put(`/targets/${w.targetId}`, { version: 1, endpoint: NEW_ENDPOINT, force: true });

    expect(forced.status, JSON.stringify(forced.body)).toBe(200);
    expect(forced.body).toMatchObject({ targetId: w.targetId, endpoint: NEW_ENDPOINT, version: 2 });
    expect(forced.body).not.toHaveProperty('tenantId');
    const events = await w.admin.get(`/audit/events?action=target.updated&target=${w.targetId}`);
    expect(events.body.items).toEqual([
      expect.objectContaining({
        action: 'target.updated',
        actorId: 'ada',
        targetId: w.targetId,
        details: expect.objectContaining({ forced: true, affectedGrants: [expect.objectContaining({ requestId: w.grantId, fields: ['endpoint'] })], changes: { endpoint: { before: targetInput().endpoint, after: NEW_ENDPOINT } } }),
      }),
    ]);
  });

  it('adds a database user without force, and the integration setup shows it as added', async () => {
    const response = await w.admin.put(`/targets/${w.targetId}`, { version: 2, databaseUsers: ['app_ro', 'etl'] });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ databaseUsers: ['app_ro', 'etl'], version: 3 });
    const setup = await w.admin.get(`/integrations/${w.from}/setup`);
    expect(setup.body.changes).toMatchObject({ added: [dbUserArn('etl')], removed: [] });
  });

  it('moves the target to another integration (forced: the grant’s credentials come from the first), and both setups show the move', async () => {
    await w.admin.get(`/integrations/${w.to}/setup`);

    const refused = await w.admin.put(`/targets/${w.targetId}`, { version: 3, integrationId: w.to });
    expect(refused.status).toBe(409);
    expect(refused.body.details.affected).toEqual([expect.objectContaining({ requestId: w.grantId, fields: ['integrationId'] })]);
    const moved = await w.admin.put(`/targets/${w.targetId}`, { version: 3, integrationId: w.to, force: true });

    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ integrationId: w.to, version: 4 });
    expect((await w.admin.get(`/integrations/${w.from}/setup`)).body.changes).toMatchObject({ added: [], removed: [dbUserArn('app_ro'), dbUserArn('etl')] });
    expect((await w.admin.get(`/integrations/${w.to}/setup`)).body.changes).toMatchObject({ added: [dbUserArn('app_ro'), dbUserArn('etl')], removed: [] });
  });

  it('answers a change that changes nothing with the target as stored (200), writing no event', async () => {
    const before = await snapshot(w);

    const same = await w.admin.put(`/targets/${w.targetId}`, { version: 4, databaseUsers: ['etl', 'app_ro'], integrationId: w.to });

    expect(same.status).toBe(200);
    expect(same.body).toEqual(before.target);
    expect(await snapshot(w)).toEqual(before);
  });

  it.each([
    ['a stale version', { version: 1, port: 6432 }, 409, 'conflict'],
    ['no version', { port: 6432 }, 400, 'validation_failed'],
    ['a name', { version: 4, name: 'renamed' }, 400, 'validation_failed'],
    ['a resource id', { version: 4, resourceId: 'db-OTHER' }, 400, 'validation_failed'],
    ['a policy', { version: 4, policy: policy() }, 400, 'validation_failed'],
    ['a field nobody sets', { version: 4, tenantId: 'globex' }, 400, 'validation_failed'],
    ['a port out of range', { version: 4, port: 22 }, 400, 'validation_failed'],
    ['no database user', { version: 4, databaseUsers: [] }, 400, 'validation_failed'],
    ['an integration of nobody', { version: 4, integrationId: 'int_00000000009999' }, 400, 'validation_failed'],
    ['dropping the granted user', { version: 4, databaseUsers: ['etl'] }, 409, 'target_change_breaks_open_grants'],
  ])('refuses %s (%j) with %i %s, changing neither the target nor the log', async (_what, body, status, error) => {
    const before = await snapshot(w);

    const response = await w.admin.put(`/targets/${w.targetId}`, body);

    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body).toMatchObject({ error, message: expect.any(String) });
    expect(await snapshot(w)).toEqual(before);
  });

  it('names a stale version’s current one, and a refused identity field by its path', async () => {
    expect((await w.admin.put(`/targets/${w.targetId}`, { version: 1 })).body.details).toEqual({ currentVersion: 4 });
    expect((await w.admin.put(`/targets/${w.targetId}`, { version: 4, engine: 'mysql' })).body.details).toEqual([{ path: 'engine', message: expect.stringContaining('cannot change') }]);
  });

  it('is for admins of the tenant only: 403 for others in it, 404 for another tenant’s admin and for an unknown target', async () => {
    const before = await snapshot(w);
    const outsider = api(await tokenFor({ sub: 'ada', tenant: freshTenant('chg-other'), roles: ['admin'] }));

    expect((await w.alice.put(`/targets/${w.targetId}`, { version: 4, port: 6432 })).status).toBe(403);
    expect((await w.bob.put(`/targets/${w.targetId}`, { version: 4, port: 6432 })).status).toBe(403);
    expect((await outsider.put(`/targets/${w.targetId}`, { version: 4, port: 6432 })).status).toBe(404);
    expect((await w.admin.put('/targets/tgt_00000000009999', { version: 1, port: 6432 })).status).toBe(404);
    expect(await snapshot(w)).toEqual(before);
  });

  it('leaves a grant log that verifies, with one target.updated event per change', async () => {
    const verify = await w.admin.get('/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
    const actions = (await stores.events(w.tenant)).map((e) => e.action).filter((a) => a.startsWith('target.'));
    expect(actions).toEqual(['target.created', 'target.updated', 'target.updated', 'target.updated']);
  });
});
