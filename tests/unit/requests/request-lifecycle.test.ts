import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidTransitionError, NotFoundError, PolicyViolationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import type { Principal } from '#shared/kernel/principal';
import { approveRequest, cancelRequest, extendRequest, getRequest, revokeRequest } from '#shared/requests/use-cases';
import { inStatus } from '../../support/fakes/index.ts';
import { aPendingRequestBy, expectRefusedWithoutWrites, people, world } from '../../support/world.ts';

describe('cancelRequest', () => {
  it('lets the requester cancel a pending request', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    const cancelled = await cancelRequest(deps, people.alice, requestId);

    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    expect(deps.log.actions()).toEqual([LogAction.requestCreated, LogAction.requestCancelled]);
  });

  it.each<[string, Principal]>([
    ['a named approver', people.bob],
    ['an admin', people.erin],
    ['an auditor', people.amy],
  ])('refuses %s (ForbiddenError): only the requester cancels', async (_who, principal) => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    await expectRefusedWithoutWrites(deps, () => cancelRequest(deps, principal, requestId), ForbiddenError);
  });

  it('hides the request from another requester (NotFoundError)', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    await expectRefusedWithoutWrites(deps, () => cancelRequest(deps, people.frank, requestId), NotFoundError);
  });

  it('refuses to cancel an approved grant', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    await approveRequest(deps, people.bob, { requestId });

    await expectRefusedWithoutWrites(deps, () => cancelRequest(deps, people.alice, requestId), InvalidTransitionError);
  });
});

describe('revokeRequest', () => {
  it.each<[string, Principal]>([
    ['an admin', people.erin],
    ['a named approver', people.carol],
  ])('lets %s revoke an approved grant', async (_who, principal) => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    await approveRequest(deps, people.bob, { requestId });

    const revoked = inStatus(await revokeRequest(deps, principal, { requestId, note: 'incident closed' }), 'revoked');

    expect(revoked).toMatchObject({ revokedBy: principal.id, note: 'incident closed' });
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.requestRevoked, actorId: principal.id });
  });

  it.each<[string, Principal, typeof ForbiddenError | typeof NotFoundError]>([
    ['the requester', people.alice, ForbiddenError],
    ['an auditor', people.amy, ForbiddenError],
    ['an approver the policy does not name', people.sam, NotFoundError],
  ])('refuses %s', async (_who, principal, error) => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    await approveRequest(deps, people.bob, { requestId });

    await expectRefusedWithoutWrites(deps, () => revokeRequest(deps, principal, { requestId }), error);
  });

  it('refuses to revoke a request that is still pending', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    await expectRefusedWithoutWrites(deps, () => revokeRequest(deps, people.erin, { requestId }), InvalidTransitionError);
  });
});

describe('extendRequest', () => {
  async function anApprovedGrant(policy = {}) {
    const { deps } = world(policy);
    const { requestId } = await aPendingRequestBy(deps);
    await approveRequest(deps, people.bob, { requestId });
    return { deps, requestId };
  }

  it('records a pending extension asked for by the requester', async () => {
    const { deps, requestId } = await anApprovedGrant();

    const request = inStatus(await extendRequest(deps, people.alice, { requestId, minutes: 30, reason: 'migration' }), 'approved');

    expect(request.pendingExtension).toMatchObject({ minutes: 30, reason: 'migration' });
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.extensionRequested, details: { minutes: 30, reason: 'migration' } });
  });

  it('refuses anyone but the requester (ForbiddenError)', async () => {
    const { deps, requestId } = await anApprovedGrant();

    await expectRefusedWithoutWrites(deps, () => extendRequest(deps, people.bob, { requestId, minutes: 30, reason: 'x' }), ForbiddenError);
  });

  it('refuses an extension past the maximum duration (PolicyViolationError)', async () => {
    const { deps, requestId } = await anApprovedGrant({ maxDurationMinutes: 90 });

    await expectRefusedWithoutWrites(deps, () => extendRequest(deps, people.alice, { requestId, minutes: 31, reason: 'x' }), PolicyViolationError);
  });

  it('refuses an extension once the window has closed', async () => {
    const { deps, requestId } = await anApprovedGrant();
    deps.clock.advance({ minutes: 60 });

    await expectRefusedWithoutWrites(deps, () => extendRequest(deps, people.alice, { requestId, minutes: 30, reason: 'x' }), InvalidTransitionError);
  });
});

describe('getRequest', () => {
  it.each<[string, Principal, boolean]>([
    ['the requester', people.alice, true],
    ['a named approver', people.bob, true],
    ['an admin', people.erin, true],
    ['an auditor', people.amy, true],
    ['another requester', people.frank, false],
    ['an approver the policy does not name', people.sam, false],
  ])('shows the request to %s: %s', async (_who, principal, visible) => {
    const { deps } = world();
    const created = await aPendingRequestBy(deps);

    const attempt = getRequest(deps, principal, created.requestId);

    if (visible) await expect(attempt).resolves.toEqual(created);
    else await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers an unknown id with NotFoundError', async () => {
    const { deps } = world();

    await expect(getRequest(deps, people.erin, 'req_0000000404')).rejects.toBeInstanceOf(NotFoundError);
  });
});
