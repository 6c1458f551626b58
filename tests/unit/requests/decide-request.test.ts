import { describe, expect, it } from 'vitest';
import { AlreadyDecidedError, ForbiddenError, InvalidTransitionError, NotFoundError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import { approveRequest, denyRequest, extendRequest } from '#shared/requests/use-cases';
import { inStatus } from '../../support/fakes/index.ts';
import { aPendingRequestBy, expectRefusedWithoutWrites, people, world } from '../../support/world.ts';

describe('approveRequest', () => {
  it('approves with a named approver and logs request.approved once', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    deps.clock.advance({ minutes: 7 });

    const approved = inStatus(await approveRequest(deps, people.bob, { requestId }), 'approved');

    expect(approved.windowStart).toBe(deps.clock.now().toISOString());
    expect(deps.log.forRequest(approved.tenantId, requestId).map((e) => [e.action, e.actorId])).toEqual([
      [LogAction.requestCreated, 'alice'],
      [LogAction.requestApproved, 'bob'],
    ]);
  });

  it('refuses self-approval (ForbiddenError) by a requester who is a named approver, and writes nothing', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps, people.dana);

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.dana, { requestId }), ForbiddenError);
  });

  it('refuses self-denial too: the requester cancels instead', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps, people.dana);

    await expectRefusedWithoutWrites(deps, () => denyRequest(deps, people.dana, { requestId }), ForbiddenError);
  });

  it('hides the request from an approver the policy does not name (NotFoundError), and writes nothing', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.sam, { requestId }), NotFoundError);
    await expectRefusedWithoutWrites(deps, () => denyRequest(deps, people.sam, { requestId }), NotFoundError);
  });

  it('refuses an admin with the approver role whom the policy does not name (ForbiddenError)', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.root, { requestId }), ForbiddenError);
  });

  it('needs two distinct approvers under a quorum of two', async () => {
    const { deps } = world({ approvalsRequired: 2 });
    const { requestId } = await aPendingRequestBy(deps);

    const first = await approveRequest(deps, people.bob, { requestId, note: 'looks fine' });
    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.bob, { requestId }), AlreadyDecidedError);
    const second = await approveRequest(deps, people.carol, { requestId });

    expect(first.status).toBe('pending');
    expect(inStatus(second, 'approved').approvals.map((a) => a.approverId)).toEqual(['bob', 'carol']);
    expect(deps.log.actions()).toEqual([LogAction.requestCreated, LogAction.approvalRecorded, LogAction.requestApproved]);
  });

  it('refuses to approve after the decision deadline and writes nothing', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 30 });
    const { requestId } = await aPendingRequestBy(deps);
    deps.clock.advance({ minutes: 30 });

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.bob, { requestId }), InvalidTransitionError);
  });

  it('refuses an approval of a request already decided', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    await denyRequest(deps, people.bob, { requestId });

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.carol, { requestId }), InvalidTransitionError);
  });
});

describe('denyRequest', () => {
  it('denies with a named approver, keeping the note in the log details', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);

    const denied = inStatus(await denyRequest(deps, people.carol, { requestId, note: 'use the replica' }), 'denied');

    expect(denied).toMatchObject({ deniedBy: 'carol', note: 'use the replica' });
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.requestDenied, actorId: 'carol', details: { note: 'use the replica' } });
  });
});

describe('deciding an extension', () => {
  it('refuses the requester approving their own extension', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps, people.dana);
    await approveRequest(deps, people.bob, { requestId });
    await extendRequest(deps, people.dana, { requestId, minutes: 30, reason: 'more' });

    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.dana, { requestId }), ForbiddenError);
  });

  it('extends the window when a named approver approves it', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    const approved = inStatus(await approveRequest(deps, people.bob, { requestId }), 'approved');
    await extendRequest(deps, people.alice, { requestId, minutes: 30, reason: 'more' });

    const extended = inStatus(await approveRequest(deps, people.carol, { requestId }), 'approved');

    expect(Date.parse(extended.windowEnd) - Date.parse(approved.windowEnd)).toBe(30 * 60_000);
    expect(deps.log.actions().slice(-2)).toEqual([LogAction.extensionRequested, LogAction.extensionApproved]);
  });
});

describe('decision latency (through the Metrics port)', () => {
  it('records the time from creation to approval once the request is approved', async () => {
    const { deps } = world();
    const { requestId, tenantId } = await aPendingRequestBy(deps);
    deps.clock.advance({ minutes: 7 });

    await approveRequest(deps, people.bob, { requestId });

    expect(deps.metrics.recorded).toEqual([{ metric: 'requestDecided', value: { outcome: 'approved', latencyMs: 7 * 60_000 }, ids: { tenantId, requestId } }]);
  });

  it('records a denial the same way', async () => {
    const { deps } = world();
    const { requestId } = await aPendingRequestBy(deps);
    deps.clock.advance({ seconds: 90 });

    await denyRequest(deps, people.bob, { requestId });

    expect(deps.metrics.recorded).toEqual([expect.objectContaining({ metric: 'requestDecided', value: { outcome: 'denied', latencyMs: 90_000 } })]);
  });

  it('records only the vote that reaches the quorum, and nothing for a refused decision', async () => {
    const { deps } = world({ approvalsRequired: 2 });
    const { requestId } = await aPendingRequestBy(deps);

    await approveRequest(deps, people.bob, { requestId });
    expect(deps.metrics.recorded).toEqual([]);
    await expectRefusedWithoutWrites(deps, () => approveRequest(deps, people.bob, { requestId }), AlreadyDecidedError);
    expect(deps.metrics.recorded).toEqual([]);
    deps.clock.advance({ minutes: 3 });
    await approveRequest(deps, people.carol, { requestId });

    expect(deps.metrics.recorded.map((m) => m.value)).toEqual([{ outcome: 'approved', latencyMs: 3 * 60_000 }]);
  });
});
