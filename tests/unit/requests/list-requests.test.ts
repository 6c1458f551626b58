import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '#shared/kernel/errors';
import type { Principal } from '#shared/kernel/principal';
import { approveRequest, cancelRequest, createRequest, listRequests } from '#shared/requests/use-cases';
import { TARGET_ID, aPolicy, aService, aTarget, aUser } from '../../support/fakes/index.ts';
import { aPendingRequestBy, people, world } from '../../support/world.ts';

const ids = (page: { items: { requestId: string }[] }) => page.items.map((r) => r.requestId);

describe('listRequests: mine', () => {
  it('lists only the caller’s own requests, newest first', async () => {
    const { deps } = world();
    const first = await aPendingRequestBy(deps, people.alice);
    deps.clock.advance({ minutes: 1 });
    await aPendingRequestBy(deps, people.frank);
    deps.clock.advance({ minutes: 1 });
    const second = await aPendingRequestBy(deps, people.alice);

    const page = await listRequests(deps, people.alice, { view: 'mine', limit: 25 });

    expect(ids(page)).toEqual([second.requestId, first.requestId]);
  });

  it('leaves out a service’s requests for a person whose sub spells the service’s role ARN', async () => {
    const { deps } = world();
    const service = aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }]);
    await aPendingRequestBy(deps, service);
    const impostor = aUser(service.id, ['requester']);

    expect(ids(await listRequests(deps, impostor, { view: 'mine', limit: 25 }))).toEqual([]);
    expect(ids(await listRequests(deps, service, { view: 'mine', limit: 25 }))).toHaveLength(1);
  });

  it('narrows to one status when asked', async () => {
    const { deps } = world();
    const kept = await aPendingRequestBy(deps);
    const cancelled = await aPendingRequestBy(deps);
    await cancelRequest(deps, people.alice, cancelled.requestId);

    const page = await listRequests(deps, people.alice, { view: 'mine', status: 'pending', limit: 25 });

    expect(ids(page)).toEqual([kept.requestId]);
  });

  it('pages with an opaque cursor', async () => {
    const { deps } = world();
    for (let i = 0; i < 3; i++) {
      await aPendingRequestBy(deps);
      deps.clock.advance({ seconds: 1 });
    }

    const first = await listRequests(deps, people.alice, { view: 'mine', limit: 2 });
    const second = await listRequests(deps, people.alice, { view: 'mine', limit: 2, cursor: first.nextCursor! });

    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(3);
  });

  it('refuses a cursor made for another query', async () => {
    const { deps } = world();
    for (let i = 0; i < 3; i++) await aPendingRequestBy(deps, people.frank);
    const franks = await listRequests(deps, people.frank, { view: 'mine', limit: 1 });

    await expect(listRequests(deps, people.alice, { view: 'mine', limit: 1, cursor: franks.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('listRequests: approvable', () => {
  it('lists pending requests the caller could decide: not their own, not already approved by them, only targets naming them', async () => {
    const { deps } = world({ approvalsRequired: 2 });
    const otherTarget = aTarget({ targetId: 'tgt_0000000902', policy: aPolicy({ approvers: { groups: ['finance'], principals: [] } }) });
    deps.targets.seed(otherTarget);
    const waiting = await aPendingRequestBy(deps, people.alice);
    const own = await aPendingRequestBy(deps, people.dana);
    const alreadyApproved = await aPendingRequestBy(deps, people.frank);
    await approveRequest(deps, people.dana, { requestId: alreadyApproved.requestId });
    const approvedByOthers = await aPendingRequestBy(deps, people.frank);
    await approveRequest(deps, people.bob, { requestId: approvedByOthers.requestId });
    const cancelled = await aPendingRequestBy(deps, people.alice);
    await cancelRequest(deps, people.alice, cancelled.requestId);
    const elsewhere = await createRequest(deps, people.alice, { targetId: otherTarget.targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'x' });

    const page = await listRequests(deps, people.dana, { view: 'approvable', limit: 25 });

    expect(ids(page).sort()).toEqual([waiting.requestId, approvedByOthers.requestId].sort());
    expect(ids(page)).not.toContain(own.requestId);
    expect(ids(page)).not.toContain(alreadyApproved.requestId);
    expect(ids(page)).not.toContain(elsewhere.requestId);
  });

  it.each<[string, Principal]>([
    ['a requester', people.alice],
    ['an admin', people.erin],
    ['an auditor', people.amy],
  ])('refuses %s without the approver role (ForbiddenError)', async (_who, principal) => {
    const { deps } = world();

    await expect(listRequests(deps, principal, { view: 'approvable', limit: 25 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('listRequests: tenant', () => {
  it.each<[string, Principal]>([
    ['an admin', people.erin],
    ['an auditor', people.amy],
  ])('lists every request of one status for %s', async (_who, principal) => {
    const { deps } = world();
    const a = await aPendingRequestBy(deps, people.alice);
    const b = await aPendingRequestBy(deps, people.frank);
    const c = await aPendingRequestBy(deps, people.frank);
    await cancelRequest(deps, people.frank, c.requestId);

    const page = await listRequests(deps, principal, { view: 'tenant', status: 'pending', limit: 25 });

    expect(ids(page).sort()).toEqual([a.requestId, b.requestId].sort());
  });

  it.each<[string, Principal]>([
    ['a requester', people.alice],
    ['an approver', people.bob],
  ])('refuses %s (ForbiddenError)', async (_who, principal) => {
    const { deps } = world();

    await expect(listRequests(deps, principal, { view: 'tenant', status: 'pending', limit: 25 })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('needs a status (ValidationError)', async () => {
    const { deps } = world();

    await expect(listRequests(deps, people.erin, { view: 'tenant', limit: 25 })).rejects.toBeInstanceOf(ValidationError);
  });
});
