import { describe, expect, it, vi } from 'vitest';
import { AlreadyExistsError, ConcurrentModificationError, InvalidTransitionError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import * as transitions from '#shared/requests/transitions';
import { approveRequest, cancelRequest, denyRequest } from '#shared/requests/use-cases';
import { TENANT, inStatus, type FakeDeps } from '../../support/fakes/index.ts';
import { aPendingRequestBy, people, world } from '../../support/world.ts';

/** Makes the next `n` reads of a request wait for each other, so every caller computes its change from the same version. */
function readTogether(deps: FakeDeps, n: number): void {
  const get = deps.requests.get.bind(deps.requests);
  const parked: (() => void)[] = [];
  vi.spyOn(deps.requests, 'get').mockImplementation(async (tenantId, requestId) => {
    const request = await get(tenantId, requestId);
    if (parked.length >= n) return request;
    await new Promise<void>((resolve) => {
      parked.push(resolve);
      if (parked.length === n) parked.forEach((release) => release());
    });
    return request;
  });
}

describe('lost races', () => {
  it('refuses a save computed from a stale version with ConcurrentModificationError and logs nothing', async () => {
    const { deps } = world();
    const stale = await aPendingRequestBy(deps);
    await approveRequest(deps, people.bob, { requestId: stale.requestId });
    const events = deps.log.events.length;

    const lateDenial = transitions.deny(stale, people.carol, deps.clock.now());

    await expect(deps.requests.save(lateDenial, stale.version)).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(deps.log.events).toHaveLength(events);
    expect((await deps.requests.get(TENANT, stale.requestId))?.status).toBe('approved');
  });

  it('refuses to create a request whose id exists, and logs nothing', async () => {
    const { deps } = world();
    const existing = await aPendingRequestBy(deps);
    const events = deps.log.events.length;
    const again = transitions.createRequest({ tenantId: TENANT, requestId: existing.requestId, target: (await deps.targets.get(TENANT, existing.targetId))!, databaseUser: 'app_ro', requester: people.frank, durationMinutes: 30, reason: 'x', now: deps.clock.now() });

    await expect(deps.requests.create(again)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(deps.log.events).toHaveLength(events);
  });

  it('lets exactly one of two conflicting deciders win; the loser decides again, is refused as a real conflict and writes no event', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    readTogether(deps, 2);

    const [approval, denial] = await Promise.allSettled([approveRequest(deps, people.bob, { requestId }), denyRequest(deps, people.carol, { requestId })]);

    expect(approval.status).toBe('fulfilled');
    // The denial lost the write, read the request again and found it approved: a deny after an approve is a 409, not a retry.
    expect(denial).toMatchObject({ status: 'rejected', reason: expect.any(InvalidTransitionError) });
    expect(deps.log.actions()).toEqual([LogAction.requestCreated, LogAction.requestApproved]);
    expect((await deps.requests.get(TENANT, requestId))?.status).toBe('approved');
  });

  it('never loses an approval under a quorum: two concurrent approvers are both counted, one event each', async () => {
    const { deps } = world({ approvalsRequired: 2 });
    const { requestId } = await aPendingRequestBy(deps);
    readTogether(deps, 2);

    const results = await Promise.allSettled([approveRequest(deps, people.bob, { requestId }), approveRequest(deps, people.carol, { requestId })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const stored = inStatus((await deps.requests.get(TENANT, requestId))!, 'approved');
    expect(stored.approvals.map((a) => a.approverId).sort()).toEqual(['bob', 'carol']);
    expect(deps.log.actions()).toEqual([LogAction.requestCreated, LogAction.approvalRecorded, LogAction.requestApproved]);
  });

  it('gives up re-deciding when the request keeps changing, with ConcurrentModificationError and no event of its own', async () => {
    const { deps } = world({ approvalsRequired: 2 });
    const { requestId } = await aPendingRequestBy(deps);
    const events = deps.log.events.length;
    vi.spyOn(deps.requests, 'save').mockRejectedValue(new ConcurrentModificationError('The request'));

    await expect(approveRequest(deps, people.bob, { requestId })).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(vi.mocked(deps.requests.save).mock.calls.length).toBeGreaterThan(1);
    expect(deps.log.events).toHaveLength(events);
  });

  it('lets a cancel and an approval race with one winner and one event', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    readTogether(deps, 2);

    const results = await Promise.allSettled([cancelRequest(deps, people.alice, requestId), approveRequest(deps, people.bob, { requestId })]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(deps.log.events).toHaveLength(2);
  });
});
