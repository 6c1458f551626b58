import { describe, expect, it } from 'vitest';
import { AlreadyDecidedError, InvalidTransitionError, PolicyViolationError } from '#shared/kernel/errors';
import type { AccessRequest } from '#shared/requests/access-request';
import { LogAction } from '#shared/grant-log/events';
import * as t from '#shared/requests/transitions';
import { TENANT, aPolicy, aTarget, inStatus } from '../../support/fakes/index.ts';
import {
  REASON,
  admin,
  approvedRequest,
  approver,
  at,
  pendingRequest,
  requestIn,
  requestStates,
  requester,
  secondApprover,
  thirdApprover,
  timeline,
  type RequestState,
} from './request-states.ts';

const policy = aPolicy();

type Action = 'approve' | 'deny' | 'cancel' | 'revoke' | 'expire' | 'end' | 'requestExtension';
const act: Record<Action, (r: AccessRequest, now: Date) => t.Change> = {
  approve: (r, now) => t.approve(r, secondApprover, policy, now),
  deny: (r, now) => t.deny(r, secondApprover, now),
  cancel: (r, now) => t.cancel(r, requester, now),
  revoke: (r, now) => t.revoke(r, admin, now),
  expire: (r, now) => t.expire(r, now),
  end: (r, now) => t.end(r, now),
  requestExtension: (r, now) => t.requestExtension(r, requester, policy, 15, now, 'a little longer'),
};
const actions = Object.keys(act) as Action[];

// What each state allows, and when ("early" is inside every deadline, "late" is past all of them).
const early = at(15);
const late = at(300);
const allowed: { state: RequestState; action: Action; now: Date; status: AccessRequest['status']; logged: string[] }[] = [
  { state: 'pending', action: 'approve', now: early, status: 'approved', logged: [LogAction.requestApproved] },
  { state: 'pending', action: 'deny', now: early, status: 'denied', logged: [LogAction.requestDenied] },
  { state: 'pending', action: 'cancel', now: early, status: 'cancelled', logged: [LogAction.requestCancelled] },
  { state: 'pending', action: 'expire', now: late, status: 'expired', logged: [LogAction.requestExpired] },
  { state: 'approved', action: 'revoke', now: early, status: 'revoked', logged: [LogAction.requestRevoked] },
  { state: 'approved', action: 'end', now: late, status: 'ended', logged: [LogAction.requestEnded] },
  { state: 'approved', action: 'requestExtension', now: early, status: 'approved', logged: [LogAction.extensionRequested] },
  { state: 'approved+extension', action: 'approve', now: early, status: 'approved', logged: [LogAction.extensionApproved] },
  { state: 'approved+extension', action: 'deny', now: early, status: 'approved', logged: [LogAction.extensionDenied] },
  { state: 'approved+extension', action: 'revoke', now: early, status: 'revoked', logged: [LogAction.requestRevoked] },
  { state: 'approved+extension', action: 'end', now: late, status: 'ended', logged: [LogAction.requestEnded] },
];
const isAllowed = (state: RequestState, action: Action) => allowed.some((a) => a.state === state && a.action === action);
const disallowed = requestStates.flatMap((state) =>
  actions.filter((action) => !isAllowed(state, action)).flatMap((action) => [
    { state, action, when: 'early', now: early },
    { state, action, when: 'late', now: late },
  ]),
);

describe('allowed transitions', () => {
  it.each(allowed)('$state --$action--> $status, logged as $logged', ({ state, action, now, status, logged }) => {
    const before = requestIn(state);

    const { next, entries } = act[action](before, now);

    expect(next.status).toBe(status);
    expect(next.version).toBe(before.version + 1);
    expect(entries.map((e) => e.action)).toEqual(logged);
    for (const e of entries) {
      expect(e).toMatchObject({
        tenantId: before.tenantId,
        requestId: before.requestId,
        targetId: before.targetId,
        databaseUser: before.databaseUser,
        requesterId: before.requesterId,
        at: now.toISOString(),
        outcome: 'success',
      });
    }
  });

  it('does not change the request it was given', () => {
    const before = requestIn('pending');
    const copy = structuredClone(before);

    t.approve(before, approver, policy, early);

    expect(before).toEqual(copy);
  });
});

describe('disallowed transitions', () => {
  it('covers every state × action pair that is not allowed', () => {
    expect(disallowed.length / 2 + allowed.length).toBe(requestStates.length * actions.length);
  });

  it.each(disallowed)('refuses to $action a $state request ($when)', ({ state, action, now }) => {
    const before = requestIn(state);

    expect(() => act[action](before, now)).toThrow(InvalidTransitionError);
  });
});

describe('deadlines', () => {
  it.each(['approve', 'deny', 'cancel'] as const)('refuses to %s a pending request at or after decideBy: it is expired in all but name', (action) => {
    const pending = pendingRequest();

    expect(() => act[action](pending, timeline.decideBy)).toThrow(InvalidTransitionError);
    expect(() => act[action](pending, at(59))).not.toThrow();
  });

  it.each([
    ['approved', 'revoke'],
    ['approved', 'requestExtension'],
    ['approved+extension', 'approve'],
    ['approved+extension', 'deny'],
    ['approved+extension', 'revoke'],
  ] as const)('refuses, on an %s grant past its window, to %s: it is ended in all but name', (state, action) => {
    const grant = requestIn(state);
    const windowEnd = new Date((grant as { windowEnd: string }).windowEnd);

    expect(() => act[action](grant, windowEnd)).toThrow(InvalidTransitionError);
    expect(() => act[action](grant, new Date(windowEnd.getTime() - 1))).not.toThrow();
  });

  it('refuses an approval at or after decideBy', () => {
    const pending = pendingRequest();

    expect(() => t.approve(pending, approver, policy, timeline.decideBy)).toThrow(InvalidTransitionError);
    expect(() => t.approve(pending, approver, policy, at(59)).next).not.toThrow();
  });

  it.each([
    { now: at(59), expires: false },
    { now: at(60), expires: true },
    { now: at(61), expires: true },
  ])('expires a pending request only once decideBy has passed (now=$now, expires=$expires)', ({ now, expires }) => {
    const pending = pendingRequest();

    const attempt = () => t.expire(pending, now);

    if (expires) expect(attempt().next).toMatchObject({ status: 'expired', expiredAt: now.toISOString() });
    else expect(attempt).toThrow(InvalidTransitionError);
  });

  it('logs the decision deadline with the expiry, by the system', () => {
    const { entries } = t.expire(pendingRequest(), at(61));

    expect(entries).toEqual([
      expect.objectContaining({ action: LogAction.requestExpired, actorId: t.systemActor.id, actorKind: 'system', details: { decideBy: timeline.decideBy.toISOString() } }),
    ]);
  });

  it.each([
    { now: at(69), ends: false },
    { now: at(70), ends: true },
    { now: at(200), ends: true },
  ])('ends a grant only once its window has closed (now=$now, ends=$ends)', ({ now, ends }) => {
    const approved = approvedRequest();

    const attempt = () => t.end(approved, now);

    if (ends) expect(attempt().next).toMatchObject({ status: 'ended', endedAt: now.toISOString(), windowEnd: timeline.windowEnd.toISOString() });
    else expect(attempt).toThrow(InvalidTransitionError);
  });

  it('starts the window at approval, not at creation, and keeps it open for durationMinutes', () => {
    const pending = pendingRequest(aPolicy(), 45);
    const approvedAt = at(37);

    const approved = inStatus(t.approve(pending, approver, policy, approvedAt).next, 'approved');

    expect(approved.createdAt).toBe(timeline.created.toISOString());
    expect(approved.approvedAt).toBe(approvedAt.toISOString());
    expect(approved.windowStart).toBe(approvedAt.toISOString());
    expect(Date.parse(approved.windowEnd) - Date.parse(approved.windowStart)).toBe(45 * 60_000);
    expect('decideBy' in approved).toBe(false);
  });

  it('revokes only approved grants', () => {
    const revoked = inStatus(t.revoke(approvedRequest(), admin, at(30), 'left the company').next, 'revoked');

    expect(revoked).toMatchObject({ revokedBy: admin.id, revokedAt: at(30).toISOString(), note: 'left the company' });
    for (const state of ['pending', 'denied', 'cancelled', 'expired', 'revoked', 'ended'] as const) {
      expect(() => t.revoke(requestIn(state), admin, at(30))).toThrow(InvalidTransitionError);
    }
  });
});

describe('quorum', () => {
  const approvers = [approver, secondApprover, thirdApprover];

  it.each([1, 2, 3])('approves once %i distinct approvers said yes, recording each approval before that', (required) => {
    const quorumPolicy = aPolicy({ approvalsRequired: required });
    let request: AccessRequest = pendingRequest(quorumPolicy);

    for (const [i, who] of approvers.slice(0, required).entries()) {
      const before = request;
      const { next, entries } = t.approve(before, who, quorumPolicy, at(10 + i));
      const last = i === required - 1;

      expect(next.version).toBe(before.version + 1);
      expect(next.status).toBe(last ? 'approved' : 'pending');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject(
        last
          ? { action: LogAction.requestApproved, actorId: who.id, details: expect.objectContaining({ approvals: required }) }
          : { action: LogAction.approvalRecorded, actorId: who.id, details: { approvals: i + 1, required } },
      );
      request = next;
    }
    const approved = inStatus(request, 'approved');
    expect(approved.approvals.map((a) => a.approverId)).toEqual(approvers.slice(0, required).map((a) => a.id));
    expect(approved.windowStart).toBe(at(10 + required - 1).toISOString());
  });

  it('refuses the same approver twice (AlreadyDecidedError) and counts them once', () => {
    const quorumPolicy = aPolicy({ approvalsRequired: 2 });
    const once = t.approve(pendingRequest(quorumPolicy), approver, quorumPolicy, at(10)).next;

    expect(() => t.approve(once, approver, quorumPolicy, at(11))).toThrow(AlreadyDecidedError);
    expect(inStatus(once, 'pending').approvals).toHaveLength(1);
  });

  it('counts only approvals given under the policy version in force: a policy change restarts the quorum', () => {
    const quorumPolicy = aPolicy({ approvalsRequired: 2 });
    const underV1 = t.approve(pendingRequest(quorumPolicy), approver, quorumPolicy, at(10), { policyVersion: 1 }).next;

    // The admin changed the policy (target version 2): the earlier approval no longer counts.
    const second = t.approve(underV1, secondApprover, quorumPolicy, at(11), { policyVersion: 2 });
    expect(second.next.status).toBe('pending');
    expect(second.entries[0]).toMatchObject({ action: LogAction.approvalRecorded, details: { approvals: 1, required: 2 } });

    // Its author may approve again under the new version, which completes the quorum; twice under one version is refused.
    const again = t.approve(second.next, approver, quorumPolicy, at(12), { policyVersion: 2 });
    expect(again.next.status).toBe('approved');
    expect(inStatus(again.next, 'approved').approvals.map((a) => [a.approverId, a.policyVersion])).toEqual([
      [secondApprover.id, 2],
      [approver.id, 2],
    ]);
    expect(() => t.approve(second.next, secondApprover, quorumPolicy, at(12), { policyVersion: 2 })).toThrow(AlreadyDecidedError);
  });
});

describe('creation', () => {
  const target = aTarget();
  const base = { tenantId: TENANT, requestId: 'req_0000000001', target, databaseUser: 'app_ro', requester, durationMinutes: 60, reason: REASON, now: timeline.created };

  it('creates a pending request at version 1 with a decision deadline and one created event', () => {
    const { next, entries } = t.createRequest(base);

    expect(inStatus(next, 'pending')).toMatchObject({ version: 1, approvals: [], decideBy: timeline.decideBy.toISOString(), reason: REASON });
    expect(entries).toEqual([
      expect.objectContaining({ action: LogAction.requestCreated, actorId: requester.id, actorKind: 'user', details: { durationMinutes: 60, reason: REASON } }),
    ]);
  });

  it('approves on creation under an auto-approval rule with two events: created by the requester, approved by the system', () => {
    const { next, entries } = t.createRequest({ ...base, autoApproval: 'policy.autoApprove[0]' });

    const approved = inStatus(next, 'approved');
    expect(approved.windowStart).toBe(timeline.created.toISOString());
    expect(approved.windowEnd).toBe(at(60).toISOString());
    expect(approved.approvals).toEqual([{ approverId: t.systemActor.id, at: timeline.created.toISOString(), note: 'policy.autoApprove[0]' }]);
    expect(entries.map((e) => [e.action, e.actorId, e.actorKind])).toEqual([
      [LogAction.requestCreated, requester.id, 'user'],
      [LogAction.requestApproved, t.systemActor.id, 'system'],
    ]);
    expect(entries[1]?.details).toMatchObject({ rule: 'policy.autoApprove[0]' });
  });

  it('refuses a duration over the policy maximum', () => {
    expect(() => t.createRequest({ ...base, durationMinutes: 241 })).toThrow(PolicyViolationError);
    expect(t.createRequest({ ...base, durationMinutes: 240 }).next.durationMinutes).toBe(240);
  });

  it.each([undefined, '', '   '])('refuses a missing reason (%j) when the policy requires one', (reason) => {
    expect(() => t.createRequest({ ...base, reason })).toThrow(PolicyViolationError);
  });

  it('accepts no reason when the policy does not require one, and stores none', () => {
    const relaxed = aTarget({ policy: aPolicy({ reasonRequired: false }) });

    const { next, entries } = t.createRequest({ ...base, target: relaxed, reason: undefined });

    expect('reason' in next).toBe(false);
    expect(entries[0]?.details).toEqual({ durationMinutes: 60 });
  });
});
