import { describe, expect, it } from 'vitest';
import { AlreadyDecidedError, InvalidTransitionError, PolicyViolationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import * as t from '#shared/requests/transitions';
import { aPolicy, inStatus } from '../../support/fakes/index.ts';
import {
  EXTENSION_REASON,
  approvedRequest,
  approvedWithPendingExtension,
  approver,
  at,
  pendingRequest,
  requestIn,
  requester,
  secondApprover,
  timeline,
} from './request-states.ts';

// Grant of 60 minutes (T0+10..T0+70) under a policy allowing at most 240 unless said otherwise.
describe('requesting an extension', () => {
  it('is possible only for an open grant', () => {
    const policy = aPolicy();

    expect(() => t.requestExtension(pendingRequest(), requester, policy, 30, at(15), 'more')).toThrow(InvalidTransitionError);
    expect(() => t.requestExtension(approvedRequest(), requester, policy, 30, timeline.windowEnd, 'more')).toThrow(InvalidTransitionError);
    for (const state of ['denied', 'cancelled', 'expired', 'revoked', 'ended'] as const) {
      expect(() => t.requestExtension(requestIn(state), requester, policy, 30, at(15), 'more')).toThrow(InvalidTransitionError);
    }
  });

  it('refuses a second extension while one awaits a decision', () => {
    expect(() => t.requestExtension(approvedWithPendingExtension(), requester, aPolicy(), 15, at(25), 'again')).toThrow(InvalidTransitionError);
  });

  it('records the extension as pending without touching the window', () => {
    const approved = approvedRequest();

    const { next, entries } = t.requestExtension(approved, requester, aPolicy(), 30, at(20), `  ${EXTENSION_REASON}  `);

    const extended = inStatus(next, 'approved');
    expect(extended.windowEnd).toBe(approved.windowEnd);
    expect(extended.pendingExtension).toEqual({ minutes: 30, reason: EXTENSION_REASON, requestedAt: at(20).toISOString(), approvals: [] });
    expect(entries).toEqual([expect.objectContaining({ action: LogAction.extensionRequested, actorId: requester.id, details: { minutes: 30, reason: EXTENSION_REASON } })]);
  });

  it.each([undefined, '', ' \t '])('refuses a missing reason (%j) when the policy requires one', (reason) => {
    expect(() => t.requestExtension(approvedRequest(), requester, aPolicy({ reasonRequired: true }), 30, at(20), reason)).toThrow(PolicyViolationError);
  });

  it('accepts no reason when the policy does not require one', () => {
    const policy = aPolicy({ reasonRequired: false });

    const { next } = t.requestExtension(approvedRequest(policy), requester, policy, 30, at(20));

    expect(inStatus(next, 'approved').pendingExtension).not.toHaveProperty('reason');
  });

  it.each([
    { max: 120, extra: 60, ok: true },
    { max: 120, extra: 61, ok: false },
    { max: 90, extra: 30, ok: true },
    { max: 90, extra: 31, ok: false },
  ])('keeps the whole window within maxDurationMinutes=$max (60 + $extra → ok=$ok)', ({ max, extra, ok }) => {
    const policy = aPolicy({ maxDurationMinutes: max });
    const approved = approvedRequest(policy);

    const attempt = () => t.requestExtension(approved, requester, policy, extra, at(20), 'more');

    if (ok) expect(attempt().next.version).toBe(approved.version + 1);
    else expect(attempt).toThrow(PolicyViolationError);
  });

  it('counts extensions already granted toward the maximum', () => {
    const policy = aPolicy({ maxDurationMinutes: 120 });
    const once = t.approve(t.requestExtension(approvedRequest(policy), requester, policy, 30, at(20), 'more').next, approver, policy, at(21)).next;

    expect(() => t.requestExtension(once, requester, policy, 31, at(22), 'more')).toThrow(PolicyViolationError);
    expect(inStatus(t.requestExtension(once, requester, policy, 30, at(22), 'more').next, 'approved').pendingExtension?.minutes).toBe(30);
  });
});

describe('deciding an extension', () => {
  it('extends windowEnd by exactly the minutes once a quorum of two distinct approvers agreed', () => {
    const policy = aPolicy({ approvalsRequired: 2 });
    const withExtension = approvedWithPendingExtension(policy, 45);
    const windowEnd = Date.parse(withExtension.windowEnd);

    const first = t.approve(withExtension, approver, policy, at(25));
    const half = inStatus(first.next, 'approved');
    expect(half.windowEnd).toBe(withExtension.windowEnd);
    expect(half.pendingExtension?.approvals.map((a) => a.approverId)).toEqual([approver.id]);
    expect(first.entries.map((e) => e.action)).toEqual([LogAction.extensionApprovalRecorded]);
    expect(() => t.approve(half, approver, policy, at(26))).toThrow(AlreadyDecidedError);

    const second = t.approve(half, secondApprover, policy, at(27));
    const done = inStatus(second.next, 'approved');
    expect(Date.parse(done.windowEnd) - windowEnd).toBe(45 * 60_000);
    expect(done.windowStart).toBe(withExtension.windowStart);
    expect(done.pendingExtension).toBeUndefined();
    expect(done.extensions).toHaveLength(1);
    expect(done.extensions[0]?.approvals.map((a) => a.approverId)).toEqual([approver.id, secondApprover.id]);
    expect(second.entries).toEqual([
      expect.objectContaining({
        action: LogAction.extensionApproved,
        actorId: secondApprover.id,
        details: { minutes: 45, previousWindowEnd: withExtension.windowEnd, windowStart: done.windowStart, windowEnd: done.windowEnd },
      }),
    ]);
    expect(done.version).toBe(withExtension.version + 2);
  });

  it("treats an extension as a new decision: the grant's own approver may approve it", () => {
    const policy = aPolicy();
    const { next } = t.approve(approvedWithPendingExtension(policy), approver, policy, at(25));

    expect(inStatus(next, 'approved').extensions).toHaveLength(1);
  });

  it('keeps the grant and its window when the extension is denied', () => {
    const withExtension = approvedWithPendingExtension();

    const { next, entries } = t.deny(withExtension, approver, at(25), 'not today');

    const kept = inStatus(next, 'approved');
    expect(kept.windowEnd).toBe(withExtension.windowEnd);
    expect(kept.pendingExtension).toBeUndefined();
    expect(kept.extensions).toEqual([]);
    expect(entries).toEqual([expect.objectContaining({ action: LogAction.extensionDenied, details: { minutes: 30, note: 'not today' } })]);
  });

  it('refuses to approve an extension after the window closed', () => {
    expect(() => t.approve(approvedWithPendingExtension(), approver, aPolicy(), timeline.windowEnd)).toThrow(InvalidTransitionError);
  });

  it('drops a pending extension when the grant is revoked or ends', () => {
    const withExtension = approvedWithPendingExtension();

    expect(t.revoke(withExtension, approver, at(30)).next).not.toHaveProperty('pendingExtension');
    expect(t.end(withExtension, at(71)).next).not.toHaveProperty('pendingExtension');
  });
});
