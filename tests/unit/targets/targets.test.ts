import { describe, expect, it, vi } from 'vitest';
import { ConcurrentModificationError, ForbiddenError, NotFoundError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import type { Principal } from '#shared/kernel/principal';
import { targetInputSchema } from '#shared/targets/target';
import { createTarget, getTarget, listTargets, putPolicy } from '#shared/targets/use-cases';
import { OTHER_TENANT, TENANT, aPolicy, aTarget, aUser, fakeDeps, InMemoryIntegrationRegistry } from '../../support/fakes/index.ts';
import { people } from '../../support/world.ts';

const { tenantId: _t, targetId: _i, createdAt: _c, createdBy: _b, version: _v, ...input } = aTarget();
const nonAdmins: [string, Principal][] = [
  ['a requester', people.alice],
  ['an approver', people.bob],
  ['an auditor', people.amy],
];

describe('createTarget', () => {
  it('registers a target under an id Latchkey chose, with one target.created event', async () => {
    const deps = fakeDeps();

    const target = await createTarget({ ...deps, integrations: new InMemoryIntegrationRegistry(deps.log) }, people.erin, targetInputSchema.parse(input));

    expect(target).toMatchObject({ tenantId: TENANT, targetId: 'tgt_0000000001', createdBy: 'erin', version: 1 });
    expect(await deps.targets.get(TENANT, target.targetId)).toEqual(target);
    expect(deps.log.events).toEqual([expect.objectContaining({ action: LogAction.targetCreated, actorId: 'erin', targetId: target.targetId, tenantId: TENANT })]);
  });

  it.each(nonAdmins)('refuses %s (ForbiddenError) and writes nothing', async (_who, principal) => {
    const deps = fakeDeps();

    await expect(createTarget({ ...deps, integrations: new InMemoryIntegrationRegistry(deps.log) }, principal, targetInputSchema.parse(input))).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.log.events).toEqual([]);
  });
});

describe('getTarget and listTargets', () => {
  it('reads targets of the caller’s tenant only', async () => {
    const deps = fakeDeps();
    deps.targets.seed(aTarget({ targetId: 'tgt_0000000001' }));
    deps.targets.seed(aTarget({ targetId: 'tgt_0000000002', tenantId: OTHER_TENANT }));

    const page = await listTargets(deps, people.alice, { limit: 25 });

    expect(page.items.map((t) => t.targetId)).toEqual(['tgt_0000000001']);
    await expect(getTarget(deps, people.alice, 'tgt_0000000001')).resolves.toMatchObject({ tenantId: TENANT });
    await expect(getTarget(deps, people.alice, 'tgt_0000000002')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a principal with no role in the tenant (ForbiddenError)', async () => {
    const deps = fakeDeps();
    deps.targets.seed(aTarget());
    const nobody = aUser('nobody', []);

    await expect(listTargets(deps, nobody, { limit: 25 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getTarget(deps, nobody, aTarget().targetId)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('putPolicy', () => {
  const newPolicy = aPolicy({ approvalsRequired: 2, maxDurationMinutes: 60 });

  it('replaces the policy conditionally on the version read, logging before and after', async () => {
    const deps = fakeDeps();
    const target = aTarget();
    deps.targets.seed(target);

    const updated = await putPolicy(deps, people.erin, target.targetId, newPolicy);

    expect(updated).toMatchObject({ version: 2, policy: newPolicy });
    expect(await deps.targets.get(TENANT, target.targetId)).toEqual(updated);
    expect(deps.log.events).toEqual([expect.objectContaining({ action: LogAction.policyUpdated, details: { before: target.policy, after: newPolicy } })]);
  });

  it.each(nonAdmins)('refuses %s (ForbiddenError) and writes nothing', async (_who, principal) => {
    const deps = fakeDeps();
    deps.targets.seed(aTarget());

    await expect(putPolicy(deps, principal, aTarget().targetId, newPolicy)).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.log.events).toEqual([]);
  });

  it('treats a target of another tenant as unknown (NotFoundError)', async () => {
    const deps = fakeDeps();
    deps.targets.seed(aTarget({ tenantId: OTHER_TENANT }));

    await expect(putPolicy(deps, people.erin, aTarget().targetId, newPolicy)).rejects.toBeInstanceOf(NotFoundError);
    expect((await deps.targets.get(OTHER_TENANT, aTarget().targetId))?.policy).toEqual(aTarget().policy);
    expect(deps.log.events).toEqual([]);
  });

  it('loses to a concurrent policy change with ConcurrentModificationError and logs nothing', async () => {
    const deps = fakeDeps();
    const target = aTarget();
    deps.targets.seed(target);
    const get = deps.targets.get.bind(deps.targets);
    vi.spyOn(deps.targets, 'get').mockImplementationOnce(async (tenantId, targetId) => {
      const read = await get(tenantId, targetId);
      // Another admin's change lands after this read (later reads call through to the store).
      await putPolicy(deps, people.erin, targetId, aPolicy({ maxDurationMinutes: 30 }));
      return read;
    });

    await expect(putPolicy(deps, people.erin, target.targetId, newPolicy)).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(deps.log.events).toHaveLength(1);
    expect((await get(TENANT, target.targetId))?.policy.maxDurationMinutes).toBe(30);
  });
});

describe('policy.sessions', () => {
  const { tenantId: _t, targetId: _i, createdAt: _c, createdBy: _b, version: _v, ...fields } = aTarget({});
  const input = (policy: Record<string, unknown>, databaseUsers = ['app_ro']) =>
    targetInputSchema.safeParse({ ...fields, databaseUsers, policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 60, ...policy } });

  it('is absent by default (sessions stay open, as before) and fills its defaults when given', () => {
    expect(input({}).data?.policy.sessions).toBeUndefined();
    expect(input({ sessions: {} }).data?.policy.sessions).toEqual({ attribution: 'tagged', terminateVia: 'direct' });
  });

  it.each([
    ['an attribution not built', { sessions: { attribution: 'per-grant-user' } }],
    ['a path not built', { sessions: { terminateVia: 'run-command' } }],
    ['an unknown field', { sessions: { killAll: true } }],
  ])('refuses %s', (_name, policy) => {
    expect(input(policy).success).toBe(false);
  });

  it('refuses the control user as a requestable database user', () => {
    const parsed = input({}, ['app_ro', 'latchkey_control']);
    expect(parsed.error?.issues[0]?.message).toMatch(/latchkey_control is the user Latchkey ends sessions as/);
  });
});
