import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import * as transitions from '#shared/requests/transitions';
import { changeTarget, type ChangeTargetDeps } from '#shared/targets/change-target';
import { TargetChangeBreaksOpenGrantsError } from '#shared/targets/errors';
import { targetChangeBody } from '#shared/targets/schemas';
import { createIntegration } from '#shared/integrations/use-cases';
import { integrationSetup } from '#shared/integrations/get-setup';
import { target as aTarget, user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

// PUT /targets/{targetId}'s use case on the real adapters: the conditional write
// and its target.updated event in one DynamoDB transaction, the approved requests
// found through GSI2, and the integrations' setups following the change.

const stores = dynamoStores();
const integrations = new DynamoIntegrationRegistry(stores.db, stores.tables, stores.log);
const clock = { now: () => new Date() };
const deps: ChangeTargetDeps = { clock, targets: stores.targets, requests: stores.requests, integrations };
const TARGET = 'tgt_01JCHANGETARGET0001';
const ENDPOINT = 'orders-2.abcdefghijkl.eu-central-1.rds.amazonaws.com';
const body = (fields: Record<string, unknown>) => targetChangeBody.parse({ version: 1, ...fields });

async function tenantWithTarget() {
  const tenant = freshTenant('chg');
  const admin = user(tenant, 'erin', ['admin']);
  const target = aTarget(tenant, TARGET);
  await stores.targets.create(target, { tenantId: tenant, at: new Date().toISOString(), action: LogAction.targetCreated, actorId: 'erin', actorKind: 'user', outcome: 'success', targetId: TARGET });
  return { tenant, admin, target };
}

async function approvedGrant(tenant: string, target: ReturnType<typeof aTarget>, requestId: string, databaseUser = 'app_ro') {
  const now = new Date();
  const created = transitions.createRequest({ tenantId: tenant, requestId, target, databaseUser, requester: user(tenant, 'alice', ['requester']), durationMinutes: 60, reason: 'INC-7', now });
  await stores.requests.create(created);
  const approved = transitions.approve(created.next, user(tenant, 'bob', ['approver'], ['dba']), target.policy, now);
  await stores.requests.save(approved, created.next.version);
  return approved.next;
}

describe('changeTarget against DynamoDB Local', () => {
  it('writes the changed target and one target.updated event together, and a no-op writes nothing', async () => {
    const { tenant, admin, target } = await tenantWithTarget();

    await changeTarget(deps, admin, TARGET, body({ port: 6432, databaseUsers: ['app_ro', 'etl'] }));
    await changeTarget(deps, admin, TARGET, body({ version: 2, port: 6432 }));

    expect(await stores.targets.get(tenant, TARGET)).toEqual({ ...target, port: 6432, databaseUsers: ['app_ro', 'etl'], version: 2 });
    const events = await stores.events(tenant);
    expect(events.map((e) => e.action)).toEqual([LogAction.targetCreated, LogAction.targetUpdated]);
    expect(events[1]).toMatchObject({ actorId: 'erin', targetId: TARGET, details: { changes: { port: { before: 5432, after: 6432 }, databaseUsers: { added: ['etl'], removed: ['app_rw'] } } } });
  });

  it('lets exactly one of two admins who read the same version win; the other gets ConcurrentModificationError and writes nothing', async () => {
    const { tenant, admin } = await tenantWithTarget();

    const results = await Promise.allSettled([changeTarget(deps, admin, TARGET, body({ port: 6432 })), changeTarget(deps, admin, TARGET, body({ port: 7432 }))]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => r.reason)).toEqual([expect.any(ConcurrentModificationError)]);
    const stored = await stores.targets.get(tenant, TARGET);
    expect(stored?.version).toBe(2);
    const updates = (await stores.events(tenant)).filter((e) => e.action === LogAction.targetUpdated);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.details).toMatchObject({ changes: { port: { after: stored?.port } } });
  });

  it('refuses a change an open grant relies on, naming it, and writes nothing; with force it goes through, logged as forced', async () => {
    const { tenant, admin, target } = await tenantWithTarget();
    const grant = await approvedGrant(tenant, target, 'req_01JCHANGEGRANT0001');
    await approvedGrant(tenant, { ...target, targetId: 'tgt_01JCHANGETARGET0002' }, 'req_01JCHANGEGRANT0002');
    const before = await stores.events(tenant);

    const refusal = await changeTarget(deps, admin, TARGET, body({ endpoint: ENDPOINT })).catch((e: unknown) => e);

    expect(refusal).toBeInstanceOf(TargetChangeBreaksOpenGrantsError);
    expect((refusal as TargetChangeBreaksOpenGrantsError).details).toMatchObject({ requestIds: [grant.requestId] });
    expect(await stores.targets.get(tenant, TARGET)).toEqual(target);
    expect(await stores.events(tenant)).toEqual(before);

    await changeTarget(deps, admin, TARGET, body({ endpoint: ENDPOINT, force: true }));

    expect((await stores.targets.get(tenant, TARGET))?.endpoint).toBe(ENDPOINT);
    expect((await stores.events(tenant)).at(-1)).toMatchObject({
      action: LogAction.targetUpdated,
      details: { forced: true, affectedGrants: [{ requestId: grant.requestId, databaseUser: 'app_ro', fields: ['endpoint'] }] },
    });
  });

  it('moves a target between integrations, refuses one of another account, and both setups show the move', async () => {
    const { tenant, admin } = await tenantWithTarget();
    const integrationDeps = { clock, ids: { next: (p: string) => `${p}_${ulid()}` }, integrations, targets: stores.targets, settings: { brokerRoleArn: 'arn:aws:iam::999988887777:role/latchkey-broker' } };
    const from = await createIntegration(integrationDeps, admin, { accountId: '111122223333', name: 'from' });
    const to = await createIntegration(integrationDeps, admin, { accountId: '111122223333', name: 'to' });
    const elsewhere = await createIntegration(integrationDeps, admin, { accountId: '444455556666', name: 'elsewhere' });
    await changeTarget(deps, admin, TARGET, body({ integrationId: from.integrationId }));
    await integrationSetup(integrationDeps, admin, from.integrationId);
    await integrationSetup(integrationDeps, admin, to.integrationId);
    const before = await stores.events(tenant);

    await expect(changeTarget(deps, admin, TARGET, body({ version: 2, integrationId: elsewhere.integrationId }))).rejects.toBeInstanceOf(ValidationError);
    expect(await stores.events(tenant)).toEqual(before);
    await changeTarget(deps, admin, TARGET, body({ version: 2, integrationId: to.integrationId }));

    const arns = ['app_ro', 'app_rw'].map((u) => `arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/${u}`);
    expect((await integrationSetup(integrationDeps, admin, from.integrationId)).changes).toMatchObject({ added: [], removed: arns });
    expect((await integrationSetup(integrationDeps, admin, to.integrationId)).changes).toMatchObject({ added: arns, removed: [] });
  });
});
