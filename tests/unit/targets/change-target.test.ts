import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, ForbiddenError, NotFoundError, ValidationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import type { Principal } from '#shared/kernel/principal';
import * as transitions from '#shared/requests/transitions';
import { changeTarget } from '#shared/targets/change-target';
import { TargetChangeBreaksOpenGrantsError } from '#shared/targets/errors';
import { targetChangeBody } from '#shared/targets/schemas';
import { createIntegration } from '#shared/integrations/use-cases';
import { integrationSetup } from '#shared/integrations/get-setup';
import { approveRequest, createRequest } from '#shared/requests/use-cases';
import type { Target } from '#shared/targets/target';
import { OTHER_TENANT, TARGET_ID, TENANT, aPolicy, aTarget, fakeIntegrationDeps, inStatus, type FakeIntegrationDeps } from '../../support/fakes/index.ts';
import { people } from '../../support/world.ts';

const admin = people.erin;
const ACCOUNT = '111122223333';
const NEW_ENDPOINT = 'orders-2.abcdefghijkl.eu-central-1.rds.amazonaws.com';
const BASTION = 'i-0123456789abcdef0';
const nonAdmins: [string, Principal][] = [
  ['a requester', people.alice],
  ['an approver', people.bob],
  ['an auditor', people.amy],
  ['a service holding the admin role', { id: 'arn:aws:iam::444455556666:role/etl', kind: 'service', tenantId: TENANT, roles: ['requester', 'admin'], groups: [] }],
];

/** The body as the route parses it (defaults applied), so the tests go through the one schema. */
const body = (fields: Record<string, unknown>) => targetChangeBody.parse({ version: 1, ...fields });

function setUp(target: Partial<Parameters<typeof aTarget>[0]> = {}): { deps: FakeIntegrationDeps; target: Target } {
  const deps = fakeIntegrationDeps();
  const seeded = aTarget(target);
  deps.targets.seed(seeded);
  return { deps, target: seeded };
}

/** An approved grant on the target, reached through the real transitions; `windowMinutes` from now. */
function seedGrant(deps: FakeIntegrationDeps, target: Target, requestId: string, databaseUser = 'app_ro', windowMinutes = 60) {
  const now = deps.clock.now();
  const pending = transitions.createRequest({ tenantId: target.tenantId, requestId, target, databaseUser, requester: { ...people.alice, tenantId: target.tenantId }, durationMinutes: windowMinutes, reason: 'INC-1', now }).next;
  const approved = inStatus(transitions.approve(pending, people.bob, target.policy, now).next, 'approved');
  deps.requests.seed(approved);
  return approved;
}

/** Runs a refused change and proves that neither the target nor the log moved. */
async function expectUnchanged(deps: FakeIntegrationDeps, tenantId: string, attempt: () => Promise<unknown>, error: abstract new (...args: never[]) => Error) {
  const before = await deps.targets.get(tenantId, TARGET_ID);
  const events = deps.log.events.length;
  await expect(attempt()).rejects.toBeInstanceOf(error);
  expect(await deps.targets.get(tenantId, TARGET_ID)).toEqual(before);
  expect(deps.log.events).toHaveLength(events);
}

describe('changeTarget', () => {
  it('changes endpoint, port and database users, bumps the version and writes one target.updated event with before and after', async () => {
    const { deps, target } = setUp();

    const { target: changed, changed: fields } = await changeTarget(deps, admin, TARGET_ID, body({ endpoint: NEW_ENDPOINT, port: 6432, databaseUsers: ['app_ro', 'etl'] }));

    expect(fields).toEqual(['endpoint', 'port', 'databaseUsers']);
    expect(changed).toEqual({ ...target, endpoint: NEW_ENDPOINT, port: 6432, databaseUsers: ['app_ro', 'etl'], version: 2 });
    expect(await deps.targets.get(TENANT, TARGET_ID)).toEqual(changed);
    expect(deps.log.events).toEqual([
      expect.objectContaining({
        action: LogAction.targetUpdated,
        actorId: 'erin',
        targetId: TARGET_ID,
        tenantId: TENANT,
        details: {
          version: { before: 1, after: 2 },
          changes: {
            endpoint: { before: target.endpoint, after: NEW_ENDPOINT },
            port: { before: 5432, after: 6432 },
            databaseUsers: { before: ['app_ro', 'app_rw'], after: ['app_ro', 'etl'], added: ['etl'], removed: ['app_rw'] },
          },
        },
      }),
    ]);
  });

  it('adds a bastion, then removes it with null; absent fields stay as they are', async () => {
    const { deps, target } = setUp();

    const added = await changeTarget(deps, admin, TARGET_ID, body({ bastionInstanceId: BASTION }));
    const removed = await changeTarget(deps, admin, TARGET_ID, body({ version: 2, bastionInstanceId: null }));

    expect(added.target).toEqual({ ...target, bastionInstanceId: BASTION, version: 2 });
    expect(removed.target).toEqual({ ...target, version: 3 });
    expect(deps.log.events.map((e) => e.details?.changes)).toEqual([{ bastionInstanceId: { before: null, after: BASTION } }, { bastionInstanceId: { before: BASTION, after: null } }]);
  });

  it.each([
    ['an empty change', {}],
    ['the same values', { endpoint: aTarget().endpoint, port: aTarget().port, bastionInstanceId: null, integrationId: null }],
    ['the same database users in another order', { databaseUsers: ['app_rw', 'app_ro'] }],
  ])('answers %s with the target as stored and writes nothing (no version bump, no event)', async (_what, fields) => {
    const { deps, target } = setUp();
    seedGrant(deps, target, 'req_0000000001');

    const result = await changeTarget(deps, admin, TARGET_ID, body(fields));

    expect(result).toEqual({ target, changed: [] });
    expect(await deps.targets.get(TENANT, TARGET_ID)).toEqual(target);
    expect(deps.log.events).toEqual([]);
  });

  it.each(nonAdmins)('refuses %s (ForbiddenError), changing nothing', async (_who, principal) => {
    const { deps } = setUp();
    await expectUnchanged(deps, TENANT, () => changeTarget(deps, principal, TARGET_ID, body({ port: 6432 })), ForbiddenError);
  });

  it('treats an unknown target, and one of another tenant, as not found, changing neither', async () => {
    const { deps } = setUp({ tenantId: OTHER_TENANT });

    await expectUnchanged(deps, OTHER_TENANT, () => changeTarget(deps, admin, TARGET_ID, body({ port: 6432 })), NotFoundError);
    await expect(changeTarget(deps, admin, 'tgt_0000009999', body({ port: 6432 }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a stale version with ConcurrentModificationError naming the current one, even for a change that would be a no-op', async () => {
    const { deps } = setUp();
    await changeTarget(deps, admin, TARGET_ID, body({ port: 6432 }));

    // A second admin who read version 1 sends a change: refused, and told the version to reload.
    const stale = changeTarget(deps, admin, TARGET_ID, body({ port: 7432 }));
    await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
    await expect(stale).rejects.toMatchObject({ details: { currentVersion: 2 } });
    await expectUnchanged(deps, TENANT, () => changeTarget(deps, admin, TARGET_ID, body({})), ConcurrentModificationError);
    expect((await deps.targets.get(TENANT, TARGET_ID))?.port).toBe(6432);
  });

  it('loses to a change written between its read and its write (the store condition), writing nothing', async () => {
    const { deps } = setUp();
    const get = deps.targets.get.bind(deps.targets);
    let raced = false;
    deps.targets.get = async (tenantId, targetId) => {
      const read = await get(tenantId, targetId);
      if (!raced) {
        raced = true;
        await changeTarget(deps, admin, targetId, body({ port: 6432 }));
      }
      return read;
    };

    await expect(changeTarget(deps, admin, TARGET_ID, body({ port: 7432 }))).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(deps.log.events).toHaveLength(1);
    expect((await get(TENANT, TARGET_ID))?.port).toBe(6432);
  });

  it('refuses to drop a database user an auto-approval rule names (ValidationError naming the rule), changing nothing', async () => {
    const { deps } = setUp({ policy: aPolicy({ autoApprove: [{ databaseUser: 'app_rw', groups: ['oncall'], principals: [] }] }) });

    await expectUnchanged(deps, TENANT, () => changeTarget(deps, admin, TARGET_ID, body({ databaseUsers: ['app_ro'] })), ValidationError);
    await expect(changeTarget(deps, admin, TARGET_ID, body({ databaseUsers: ['app_ro'] }))).rejects.toThrow(ValidationError);
    await expect(changeTarget(deps, admin, TARGET_ID, body({ databaseUsers: ['app_ro'] }))).rejects.toMatchObject({ details: [{ path: 'databaseUsers', message: expect.stringContaining('policy.autoApprove[0]') }] });
  });

  it('restarts the quorum of a pending request, as a policy change does: approvals count under the target version they were given under', async () => {
    const { deps } = setUp({ policy: aPolicy({ approvalsRequired: 2 }) });
    const request = await createRequest(deps, people.alice, { targetId: TARGET_ID, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-1' });
    await approveRequest(deps, people.bob, { requestId: request.requestId });

    await changeTarget(deps, admin, TARGET_ID, body({ port: 6432 }));

    expect((await approveRequest(deps, people.carol, { requestId: request.requestId })).status).toBe('pending');
    expect((await approveRequest(deps, people.bob, { requestId: request.requestId })).status).toBe('approved');
  });

  describe('moving to another integration', () => {
    it('refuses an integration that does not exist, is of another tenant or links another account (ValidationError), changing nothing', async () => {
      const { deps } = setUp();
      const theirs = await createIntegration(deps, { ...admin, tenantId: OTHER_TENANT }, { accountId: ACCOUNT, name: 'theirs' });
      const elsewhere = await createIntegration(deps, admin, { accountId: '444455556666', name: 'elsewhere' });

      for (const integrationId of ['int_0000009999', theirs.integrationId, elsewhere.integrationId]) {
        await expectUnchanged(deps, TENANT, () => changeTarget(deps, admin, TARGET_ID, body({ integrationId })), ValidationError);
      }
    });

    it('moves, and each integration’s setup shows it: the new one gains the target’s users, the old one loses them', async () => {
      const { deps } = setUp();
      const from = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'from' });
      const to = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'to' });
      await changeTarget(deps, admin, TARGET_ID, body({ integrationId: from.integrationId }));
      const arns = ['app_ro', 'app_rw'].map((u) => `arn:aws:rds-db:eu-central-1:${ACCOUNT}:dbuser:${aTarget().resourceId}/${u}`);
      expect((await integrationSetup(deps, admin, from.integrationId)).changes).toMatchObject({ added: arns, removed: [] });
      expect((await integrationSetup(deps, admin, to.integrationId)).changes).toMatchObject({ added: [], removed: [] });

      await changeTarget(deps, admin, TARGET_ID, body({ version: 2, integrationId: to.integrationId }));

      expect((await integrationSetup(deps, admin, from.integrationId)).changes).toMatchObject({ added: [], removed: arns });
      expect((await integrationSetup(deps, admin, to.integrationId)).changes).toMatchObject({ added: arns, removed: [] });
      expect(deps.log.events.filter((e) => e.action === LogAction.targetUpdated).at(-1)?.details?.changes).toEqual({ integrationId: { before: from.integrationId, after: to.integrationId } });
    });

    it('shows an added database user in the setup’s changes since the last one handed out', async () => {
      const { deps } = setUp();
      const linked = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'linked' });
      await changeTarget(deps, admin, TARGET_ID, body({ integrationId: linked.integrationId }));
      await integrationSetup(deps, admin, linked.integrationId);

      await changeTarget(deps, admin, TARGET_ID, body({ version: 2, databaseUsers: ['app_ro', 'app_rw', 'etl'] }));

      const setup = await integrationSetup(deps, admin, linked.integrationId);
      expect(setup.changes).toMatchObject({ added: [`arn:aws:rds-db:eu-central-1:${ACCOUNT}:dbuser:${aTarget().resourceId}/etl`], removed: [] });
    });
  });

  describe('open grants', () => {
    const breaking: [string, Record<string, unknown>, string[]][] = [
      ['a new endpoint', { endpoint: NEW_ENDPOINT }, ['endpoint']],
      ['a new port', { port: 6432 }, ['port']],
      ['dropping the grant’s database user', { databaseUsers: ['app_rw'] }, ['databaseUsers']],
      ['unlinking the integration', { integrationId: null }, ['integrationId']],
      ['removing the bastion', { bastionInstanceId: null }, ['bastionInstanceId']],
      ['another bastion', { bastionInstanceId: 'i-0fedcba9876543210' }, ['bastionInstanceId']],
      ['endpoint and port at once', { endpoint: NEW_ENDPOINT, port: 6432 }, ['endpoint', 'port']],
    ];

    async function withGrant() {
      const { deps, target: plain } = setUp({ bastionInstanceId: BASTION });
      const linked = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'linked' });
      const target = { ...plain, integrationId: linked.integrationId };
      deps.targets.seed(target);
      const grant = seedGrant(deps, target, 'req_0000000001');
      const events = deps.log.events.length;
      return { deps, target, grant, events };
    }

    it.each(breaking)('refuses %s while an open grant relies on it (409 error naming the request), changing nothing', async (_what, fields, broken) => {
      const { deps, grant } = await withGrant();

      const refusal = changeTarget(deps, admin, TARGET_ID, body(fields));

      await expect(refusal).rejects.toBeInstanceOf(TargetChangeBreaksOpenGrantsError);
      await expect(refusal).rejects.toMatchObject({
        code: 'target_change_breaks_open_grants',
        message: expect.stringContaining('req_0000000001'),
        details: { requestIds: ['req_0000000001'], affected: [{ requestId: 'req_0000000001', databaseUser: 'app_ro', windowEnd: grant.windowEnd, fields: broken }] },
      });
      await expectUnchanged(deps, TENANT, () => changeTarget(deps, admin, TARGET_ID, body(fields)), TargetChangeBreaksOpenGrantsError);
    });

    it.each(breaking)('goes through with force for %s, logging forced and the grants it broke', async (_what, fields, broken) => {
      const { deps, grant, events } = await withGrant();

      const { changed } = await changeTarget(deps, admin, TARGET_ID, body({ ...fields, force: true }));

      expect(changed).toEqual(broken);
      expect(deps.log.events.slice(events)).toEqual([
        expect.objectContaining({
          action: LogAction.targetUpdated,
          details: expect.objectContaining({ forced: true, affectedGrants: [{ requestId: 'req_0000000001', databaseUser: 'app_ro', windowEnd: grant.windowEnd, fields: broken }] }),
        }),
      ]);
    });

    it.each([
      ['adding a database user', { databaseUsers: ['app_ro', 'app_rw', 'etl'] }],
      ['dropping a user no open grant holds', { databaseUsers: ['app_ro'] }],
    ])('lets %s through without force, and logs no forced flag', async (_what, fields) => {
      const { deps, events } = await withGrant();

      await changeTarget(deps, admin, TARGET_ID, body(fields));

      expect(deps.log.events.slice(events)).toHaveLength(1);
      expect(deps.log.events.at(-1)?.details).not.toHaveProperty('forced');
      expect(deps.log.events.at(-1)?.details).not.toHaveProperty('affectedGrants');
    });

    it('adds a bastion where there was none while a grant is open: no grant names one', async () => {
      const { deps, target } = setUp();
      seedGrant(deps, target, 'req_0000000001');
      await expect(changeTarget(deps, admin, TARGET_ID, body({ bastionInstanceId: BASTION }))).resolves.toMatchObject({ changed: ['bastionInstanceId'] });
    });

    it('ignores grants whose window has ended, grants on other targets and other tenants’ grants', async () => {
      const { deps, target } = setUp();
      seedGrant(deps, target, 'req_0000000001', 'app_ro', 15);
      seedGrant(deps, { ...target, targetId: 'tgt_0000000902' }, 'req_0000000002');
      const theirs = aTarget({ tenantId: OTHER_TENANT });
      deps.targets.seed(theirs);
      seedGrant(deps, theirs, 'req_0000000003');
      deps.clock.advance({ minutes: 15 });

      await expect(changeTarget(deps, admin, TARGET_ID, body({ endpoint: NEW_ENDPOINT }))).resolves.toMatchObject({ changed: ['endpoint'] });
    });

    it('names every affected grant, in request-id order, and only those', async () => {
      const { deps, target } = await withGrant();
      seedGrant(deps, target, 'req_0000000003', 'app_rw');
      seedGrant(deps, target, 'req_0000000002', 'app_ro');

      const refusal = changeTarget(deps, admin, TARGET_ID, body({ databaseUsers: ['app_rw'] }));

      await expect(refusal).rejects.toMatchObject({ details: { requestIds: ['req_0000000001', 'req_0000000002'] } });
    });
  });
});

describe('targetChangeBody', () => {
  it.each([
    ['no version', {}, 'version'],
    ['a version that is not a positive integer', { version: 0 }, 'version'],
    ['the name', { version: 1, name: 'orders-2' }, 'name'],
    ['the engine', { version: 1, engine: 'mysql' }, 'engine'],
    ['aurora', { version: 1, aurora: true }, 'aurora'],
    ['the region', { version: 1, region: 'eu-west-1' }, 'region'],
    ['the account', { version: 1, accountId: '444455556666' }, 'accountId'],
    ['the resource id', { version: 1, resourceId: 'db-OTHER' }, 'resourceId'],
    ['the policy', { version: 1, policy: aPolicy() }, 'policy'],
    ['a database user twice', { version: 1, databaseUsers: ['app_ro', 'app_ro'] }, 'databaseUsers'],
    ['no database users', { version: 1, databaseUsers: [] }, 'databaseUsers'],
    ['a bad endpoint', { version: 1, endpoint: 'not a host' }, 'endpoint'],
    ['a bad port', { version: 1, port: 80 }, 'port'],
    ['a bad bastion', { version: 1, bastionInstanceId: 'bastion' }, 'bastionInstanceId'],
    ['a bad integration id', { version: 1, integrationId: 'x' }, 'integrationId'],
    ['force that is not a boolean', { version: 1, force: 'yes' }, 'force'],
    ['a field nobody may set', { version: 1, tenantId: 'globex' }, ''],
  ])('refuses %s, naming the field', (_what, input, path) => {
    const result = targetChangeBody.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('says why an identity field cannot change', () => {
    const result = targetChangeBody.safeParse({ version: 1, resourceId: 'db-OTHER', policy: {} });
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      'cannot change: it names the database; register a new target for another one',
      'cannot change: the policy changes through PUT /targets/{targetId}/policy',
    ]);
  });

  it('uses the create schema’s field rules (one source)', () => {
    expect(targetChangeBody.safeParse({ version: 1, endpoint: aTarget().endpoint, port: 1150, databaseUsers: ['a'], bastionInstanceId: BASTION, integrationId: 'int_0000000001' }).success).toBe(true);
    expect(targetChangeBody.safeParse({ version: 1, databaseUsers: ['9bad'] }).success).toBe(false);
  });
});

