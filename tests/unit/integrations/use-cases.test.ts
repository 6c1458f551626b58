import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, ForbiddenError, NotFoundError, ValidationError } from '#shared/kernel/errors';
import { RoleNotRegisteredError, SetupNotConfiguredError } from '#shared/integrations/errors';
import { LogAction } from '#shared/grant-log/events';
import type { Principal } from '#shared/kernel/principal';
import { targetInputSchema } from '#shared/targets/target';
import { createIntegration, getIntegration, listIntegrations, registerIntegrationRole } from '#shared/integrations/use-cases';
import { integrationSetup } from '#shared/integrations/get-setup';
import { createTarget } from '#shared/targets/use-cases';
import { verifyIntegration } from '#shared/integrations/verify-integration';
import { OTHER_TENANT, TENANT, aTarget, aUser, BROKER, fakeIntegrationDeps, wellInstalled } from '../../support/fakes/index.ts';

const admin = aUser('erin', ['admin']);
const otherAdmin = aUser('oscar', ['admin'], { tenantId: OTHER_TENANT });
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/latchkey/LatchkeyAccess`;
const nonAdmins: [string, Principal][] = [
  ['a requester', aUser('alice', ['requester'])],
  ['an approver', aUser('bob', ['approver'], { groups: ['dba'] })],
  ['an auditor', aUser('amy', ['auditor'])],
  ['a service', { id: 'arn:aws:iam::444455556666:role/etl', kind: 'service', tenantId: TENANT, roles: ['requester', 'admin'], groups: [] }],
];

const { tenantId: _t, targetId: _i, createdAt: _c, createdBy: _b, version: _v, ...targetInput } = aTarget();

describe('createIntegration', () => {
  it('draws the external ID itself and logs integration.created without it', async () => {
    const deps = fakeIntegrationDeps();

    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'prod' });

    expect(created).toMatchObject({ tenantId: TENANT, integrationId: 'int_0000000001', accountId: ACCOUNT, status: 'pending', version: 1, externalId: expect.stringMatching(/^lk-ext-/) });
    expect(await deps.integrations.get(TENANT, created.integrationId)).toEqual(created);
    expect(deps.log.events).toEqual([expect.objectContaining({ action: LogAction.integrationCreated, actorId: 'erin', details: { integrationId: created.integrationId, accountId: ACCOUNT, name: 'prod' } })]);
    expect(JSON.stringify(deps.log.events)).not.toContain(created.externalId);
  });

  it('gives every integration its own external ID, drawing again on a collision', async () => {
    const deps = fakeIntegrationDeps();
    const draws = ['lk-ext-same', 'lk-ext-same', 'lk-ext-other'];
    deps.newExternalId = () => draws.shift()!;

    const first = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'a' });
    const second = await createIntegration(deps, otherAdmin, { accountId: ACCOUNT, name: 'b' });

    expect([first.externalId, second.externalId]).toEqual(['lk-ext-same', 'lk-ext-other']);
    expect(deps.log.events).toHaveLength(2);
  });

  it.each(nonAdmins)('refuses %s and writes nothing', async (_who, principal) => {
    const deps = fakeIntegrationDeps();
    await expect(createIntegration(deps, principal, { accountId: ACCOUNT, name: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.log.events).toEqual([]);
  });
});

describe('reading integrations', () => {
  it("shows an admin the tenant's own integrations only; another tenant's is not found", async () => {
    const deps = fakeIntegrationDeps();
    const mine = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'mine' });
    const theirs = await createIntegration(deps, otherAdmin, { accountId: ACCOUNT, name: 'theirs' });

    expect((await listIntegrations(deps, admin, { limit: 10 })).items.map((i) => i.integrationId)).toEqual([mine.integrationId]);
    await expect(getIntegration(deps, admin, theirs.integrationId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(integrationSetup(deps, admin, theirs.integrationId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(registerIntegrationRole(deps, admin, { integrationId: theirs.integrationId, roleArn: ROLE })).rejects.toBeInstanceOf(NotFoundError);
    await expect(verifyIntegration(deps, admin, theirs.integrationId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(nonAdmins)('refuses %s the integration and its setup (they hold the external ID)', async (_who, principal) => {
    const deps = fakeIntegrationDeps();
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await expect(getIntegration(deps, principal, created.integrationId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listIntegrations(deps, principal, { limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(integrationSetup(deps, principal, created.integrationId)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('registerIntegrationRole', () => {
  it('takes a role of the linked account, back to pending, logged', async () => {
    const deps = fakeIntegrationDeps({ probe: wellInstalled('lk-ext-' + '1'.padStart(32, 'a')) });
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: ROLE });
    await verifyIntegration(deps, admin, created.integrationId);

    const again = await registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: `arn:aws:iam::${ACCOUNT}:role/Other` });

    expect(again).toMatchObject({ status: 'pending', roleArn: `arn:aws:iam::${ACCOUNT}:role/Other` });
    expect(again.verification).toBeUndefined();
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.integrationRoleRegistered, details: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Other`, previousRoleArn: ROLE, previousStatus: 'verified' } });
  });

  it('refuses a role in another account, writing nothing', async () => {
    const deps = fakeIntegrationDeps();
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await expect(registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: 'arn:aws:iam::444455556666:role/LatchkeyAccess' })).rejects.toThrow(/account 444455556666.*account 111122223333/);
    expect(deps.log.events).toHaveLength(1);
  });
});

describe('verifyIntegration', () => {
  it('needs a registered role first', async () => {
    const deps = fakeIntegrationDeps();
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await expect(verifyIntegration(deps, admin, created.integrationId)).rejects.toBeInstanceOf(RoleNotRegisteredError);
  });

  it('probes the way issuance calls AssumeRole: SourceIdentity, the session-tag keys, with, without and with a wrong external ID', async () => {
    const deps = fakeIntegrationDeps({ probe: wellInstalled('lk-ext-' + '1'.padStart(32, 'a')) });
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: ROLE });

    const { integration, verification } = await verifyIntegration(deps, admin, created.integrationId);

    expect(integration.status).toBe('verified');
    expect(verification).toMatchObject({ outcome: 'verified', roleArn: ROLE, by: 'erin' });
    const asked = deps.roleProbe.requests;
    expect(asked.map((r) => r.externalId === created.externalId ? 'own' : r.externalId === undefined ? 'none' : 'wrong')).toEqual(['own', 'none', 'wrong']);
    for (const r of asked) {
      expect(r).toMatchObject({ roleArn: ROLE, sourceIdentity: 'erin', sessionName: `lk-verify-${created.integrationId}` });
      expect(r.tags.map((t) => t.key)).toEqual(['latchkey:tenant', 'latchkey:request', 'latchkey:requester', 'latchkey:target', 'latchkey:db-user']);
    }
    expect(asked[2]!.externalId).toMatch(/^lk-ext-[a-z2-7]{32}$/);
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.integrationVerified, outcome: 'success', details: { integrationId: created.integrationId, roleArn: ROLE, previousStatus: 'pending' } });
    expect(JSON.stringify(deps.log.events)).not.toContain(created.externalId);
  });

  it('refuses a role assumable without the external ID (invariant 7), logging the failure', async () => {
    const deps = fakeIntegrationDeps({ probe: (r) => ({ outcome: 'assumed', assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/LatchkeyAccess/${r.sessionName}` }) });
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: ROLE });

    const { integration, verification } = await verifyIntegration(deps, admin, created.integrationId);

    expect(integration.status).toBe('failed');
    expect(verification).toMatchObject({ outcome: 'failed', reason: 'external_id_not_enforced', message: expect.stringContaining('sts:ExternalId') });
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.integrationVerificationFailed, outcome: 'failure', details: { reason: 'external_id_not_enforced' } });
  });

  it('discards a verification when the role changed meanwhile (conditional on the version read)', async () => {
    const deps = fakeIntegrationDeps();
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: ROLE });
    deps.roleProbe.probe = async () => {
      await registerIntegrationRole(deps, admin, { integrationId: created.integrationId, roleArn: `arn:aws:iam::${ACCOUNT}:role/Newer` }).catch(() => undefined);
      return { outcome: 'denied', action: 'sts:AssumeRole' };
    };

    await expect(verifyIntegration(deps, admin, created.integrationId)).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(await deps.integrations.get(TENANT, created.integrationId)).toMatchObject({ status: 'pending', roleArn: `arn:aws:iam::${ACCOUNT}:role/Newer` });
  });
});

describe('integrationSetup', () => {
  it('says what to configure when the broker role is unknown', async () => {
    const deps = fakeIntegrationDeps({ settings: {} });
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    await expect(integrationSetup(deps, admin, created.integrationId)).rejects.toBeInstanceOf(SetupNotConfiguredError);
    await expect(integrationSetup(deps, admin, created.integrationId)).rejects.toThrow(/BROKER_ROLE_ARN/);
  });

  it('regenerates the permission policy from the current targets and reports what changed since the last setup handed out', async () => {
    const deps = fakeIntegrationDeps();
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    const withTargets = { ...deps, integrations: deps.integrations };
    const target = (users: string[], resourceId: string) => createTarget(withTargets, admin, targetInputSchema.parse({ ...targetInput, resourceId, databaseUsers: users, integrationId: created.integrationId }));
    const arn = (resourceId: string, user: string) => `arn:aws:rds-db:eu-central-1:${ACCOUNT}:dbuser:${resourceId}/${user}`;

    const empty = await integrationSetup(deps, admin, created.integrationId);
    expect(empty).toMatchObject({ permissionPolicy: null, trustPolicy: { Statement: [{ Principal: { AWS: BROKER } }] }, changes: { added: [], removed: [], since: null } });

    await target(['app_ro'], 'db-FIRST');
    const first = await integrationSetup(deps, admin, created.integrationId);
    expect(first.changes).toMatchObject({ added: [arn('db-FIRST', 'app_ro')], removed: [] });
    expect(first.permissionPolicy!.Statement[0]!.Resource).toEqual([arn('db-FIRST', 'app_ro')]);

    const unchanged = await integrationSetup(deps, admin, created.integrationId);
    expect(unchanged.changes).toMatchObject({ added: [], removed: [], previousPolicyHash: first.policyHash });
    const eventsBefore = deps.log.events.length;

    await target(['etl', 'app_rw'], 'db-SECOND');
    const second = await integrationSetup(deps, admin, created.integrationId);
    expect(second.changes).toMatchObject({ added: [arn('db-SECOND', 'app_rw'), arn('db-SECOND', 'etl')], removed: [], previousPolicyHash: first.policyHash });
    expect(deps.log.events.slice(eventsBefore).map((e) => e.action)).toEqual([LogAction.targetCreated, LogAction.integrationSetupIssued]);
    expect(deps.log.events.filter((e) => e.action === LogAction.integrationSetupIssued)).toHaveLength(3);
  });
});

describe('createTarget with an integration', () => {
  it.each([
    ['an integration that does not exist', 'int_0000009999', ACCOUNT, /No such integration/],
    ['an integration of another account', 'int_0000000001', '444455556666', /account 444455556666.*account 111122223333/],
  ])('refuses %s, writing nothing', async (_what, integrationId, accountId, message) => {
    const deps = fakeIntegrationDeps();
    await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    const input = targetInputSchema.parse({ ...targetInput, accountId, integrationId });

    await expect(createTarget(deps, admin, input)).rejects.toThrow(message);
    await expect(createTarget(deps, admin, input)).rejects.toBeInstanceOf(ValidationError);
    expect(deps.log.events).toHaveLength(1);
  });

  it("refuses another tenant's integration as if it did not exist", async () => {
    const deps = fakeIntegrationDeps();
    const theirs = await createIntegration(deps, otherAdmin, { accountId: ACCOUNT, name: 'x' });
    await expect(createTarget(deps, admin, targetInputSchema.parse({ ...targetInput, integrationId: theirs.integrationId }))).rejects.toThrow(/No such integration/);
  });

  it('links a target to an integration of its tenant and account, logging the link', async () => {
    const deps = fakeIntegrationDeps();
    const created = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'x' });
    const target = await createTarget(deps, admin, targetInputSchema.parse({ ...targetInput, integrationId: created.integrationId }));
    expect(target.integrationId).toBe(created.integrationId);
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.targetCreated, details: { integrationId: created.integrationId } });
  });
});
