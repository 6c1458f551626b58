import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, PolicyViolationError, ValidationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import { createRequest } from '#shared/requests/use-cases';
import { OTHER_TENANT, aService, aTarget, inStatus } from '../../support/fakes/index.ts';
import { REASON, TARGET_ID, TENANT, expectRefusedWithoutWrites, people, world } from '../../support/world.ts';

const ask = { targetId: TARGET_ID, databaseUser: 'app_ro', durationMinutes: 60, reason: REASON };

describe('createRequest', () => {
  it('creates a pending request in the caller’s tenant with one request.created event', async () => {
    const { deps } = world();

    const request = await createRequest(deps, people.alice, ask);

    expect(request).toMatchObject({ status: 'pending', tenantId: TENANT, requestId: 'req_0000000001', requesterId: 'alice', requesterKind: 'user', version: 1 });
    expect(await deps.requests.get(TENANT, request.requestId)).toEqual(request);
    expect(deps.log.events.map((e) => [e.action, e.actorId, e.requestId])).toEqual([[LogAction.requestCreated, 'alice', request.requestId]]);
  });

  it('refuses an unknown target with NotFoundError and writes nothing', async () => {
    const { deps } = world();

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, { ...ask, targetId: 'tgt_0000000404' }), NotFoundError);
  });

  it('treats a target of another tenant as unknown (NotFoundError) and writes nothing', async () => {
    const { deps } = world();
    deps.targets.seed(aTarget({ tenantId: OTHER_TENANT, targetId: 'tgt_0000000555' }));

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, { ...ask, targetId: 'tgt_0000000555' }), NotFoundError);
    expect(deps.requests.all()).toEqual([]);
  });

  it('refuses a database user the target does not have with ValidationError', async () => {
    const { deps } = world();

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, { ...ask, databaseUser: 'postgres' }), ValidationError);
  });

  it.each([
    ['a user without the requester role', people.bob],
    ['an admin', people.erin],
  ])('refuses %s with ForbiddenError', async (_who, principal) => {
    const { deps } = world();

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, principal, ask), ForbiddenError);
  });

  it('refuses a requester the policy does not name with ForbiddenError', async () => {
    const { deps } = world({ requesters: { groups: ['oncall'], principals: [] } });

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, ask), ForbiddenError);
    await expect(createRequest(deps, { ...people.alice, groups: ['oncall'] }, ask)).resolves.toMatchObject({ status: 'pending' });
  });

  it('refuses a service outside its registered scope with ForbiddenError', async () => {
    const { deps } = world();
    const etl = aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_rw'] }]);

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, etl, ask), ForbiddenError);
  });

  it('refuses a duration over the policy maximum with PolicyViolationError', async () => {
    const { deps } = world({ maxDurationMinutes: 120 });

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, { ...ask, durationMinutes: 121 }), PolicyViolationError);
  });

  it('refuses a missing reason when the policy requires one with PolicyViolationError', async () => {
    const { deps } = world({ reasonRequired: true });
    const { reason: _omitted, ...withoutReason } = ask;

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, withoutReason), PolicyViolationError);
  });

  it('approves at once under a policy auto-approval rule, logging created then approved by the system', async () => {
    const { deps } = world({ autoApprove: [{ databaseUser: 'app_ro', groups: ['oncall'], principals: [] }] });
    const oncall = { ...people.alice, groups: ['oncall'] };

    const request = await createRequest(deps, oncall, ask);

    const approved = inStatus(request, 'approved');
    expect(approved.windowStart).toBe(deps.clock.now().toISOString());
    expect(deps.log.events.map((e) => [e.action, e.actorKind])).toEqual([
      [LogAction.requestCreated, 'user'],
      [LogAction.requestApproved, 'system'],
    ]);
    expect(deps.log.events[1]?.details).toMatchObject({ rule: 'policy.autoApprove[0]' });
  });

  it('approves at once a service registered with autoApprove', async () => {
    const { deps } = world();
    const etl = aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }], { scope: { access: [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }], autoApprove: true } });

    const request = await createRequest(deps, etl, ask);

    expect(request).toMatchObject({ status: 'approved', requesterKind: 'service', requesterId: etl.id });
    expect(deps.log.events.map((e) => e.details?.rule)).toEqual([undefined, 'service-registration']);
  });

  it('does not auto-approve for a database user the rule does not cover', async () => {
    const { deps } = world({ autoApprove: [{ databaseUser: 'app_rw', groups: ['oncall'], principals: [] }] });

    const request = await createRequest(deps, { ...people.alice, groups: ['oncall'] }, ask);

    expect(request.status).toBe('pending');
    expect(deps.log.events).toHaveLength(1);
  });
});
