import { InvalidTransitionError, AlreadyDecidedError, PolicyViolationError } from '../kernel/errors.ts';
import type { AccessRequest, ApprovedRequest, Decision, Extension, PendingRequest, ReviewOutcome } from './access-request.ts';
import { LogAction, requestLogEntry, type LogEntry } from '../grant-log/index.ts';
import type { Principal } from '../kernel/principal.ts';
import type { Policy, Target } from '../targets/index.ts';

// Pure transitions: (state, who, when) -> next state and the log entries that
// describe it. They check state invariants; who may act is authorization.ts's job.

export type Actor = { id: string; kind: 'user' | 'service' | 'system' };
export const systemActor: Actor = { id: 'latchkey', kind: 'system' };
export type Change = { next: AccessRequest; entries: LogEntry[] };

const minutes = (n: number) => n * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function entry(request: AccessRequest, action: LogAction, actor: Actor, at: Date, details?: Record<string, unknown>): LogEntry {
  return requestLogEntry(request, action, actor, at, 'success', details);
}

// A pending request past its decision deadline, or a grant past its window, is
// expired or ended in all but name (the sweeper has not run yet): every
// transition treats it so, never only some.
const pastDecision = (r: AccessRequest, now: Date) => r.status === 'pending' && now.getTime() >= Date.parse(r.decideBy);
const pastWindow = (r: AccessRequest, now: Date) => r.status === 'approved' && now.getTime() >= Date.parse(r.windowEnd);

function bump<T extends AccessRequest>(next: T): T {
  return { ...next, version: next.version + 1 };
}

export type NewRequest = {
  tenantId: string;
  requestId: string;
  target: Target;
  databaseUser: string;
  requester: Principal;
  durationMinutes: number;
  reason?: string;
  now: Date;
  /** Set when a rule approves the request on creation; names the rule for the log. */
  autoApproval?: string;
  /** What the policy's ticketPattern found in the reason (findTicket, run by the use case: RE2 is async to load). */
  ticket?: string;
};

/** The ticket reference kept when the policy asks for one; refused when it asks and the reason carried none. */
function ticketOf(policy: Policy, ticket: string | undefined): string | undefined {
  if (!policy.ticketPattern) return undefined;
  if (!ticket) {
    throw new PolicyViolationError(`The target requires the reason to carry a ticket reference matching ${policy.ticketPattern}.`, {
      ticketPattern: policy.ticketPattern,
    });
  }
  return ticket;
}

/** The limits a new request is held to: the policy's own, or its break-glass rule's (shorter, reason always required). */
type Limits = { maxMinutes: number; reasonRequired: boolean; by: string };

function pendingRequest(input: NewRequest, limits: Limits): PendingRequest {
  const { target, now } = input;
  const policy = target.policy;
  if (input.durationMinutes > limits.maxMinutes) {
    throw new PolicyViolationError(`${limits.by} allows at most ${limits.maxMinutes} minutes.`, { maxDurationMinutes: limits.maxMinutes });
  }
  if (limits.reasonRequired && !input.reason?.trim()) throw new PolicyViolationError(`${limits.by} requires a reason.`);
  const ticket = ticketOf(policy, input.ticket);
  return {
    status: 'pending',
    tenantId: input.tenantId,
    requestId: input.requestId,
    targetId: target.targetId,
    databaseUser: input.databaseUser,
    requesterId: input.requester.id,
    requesterKind: input.requester.kind,
    ...(target.integrationId ? { integrationId: target.integrationId } : {}),
    ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}),
    ...(ticket ? { ticket } : {}),
    durationMinutes: input.durationMinutes,
    createdAt: now.toISOString(),
    version: 1,
    approvals: [],
    decideBy: iso(now.getTime() + minutes(policy.pendingTimeoutMinutes)),
  };
}

function createdEntry(pending: PendingRequest, requester: Actor, now: Date): LogEntry {
  const created = entry(pending, LogAction.requestCreated, requester, now, {
    durationMinutes: pending.durationMinutes,
    ...(pending.reason ? { reason: pending.reason } : {}),
  });
  return pending.ticket ? { ...created, ticket: pending.ticket } : created;
}

export function createRequest(input: NewRequest): Change {
  const { target, now } = input;
  const pending = pendingRequest(input, { maxMinutes: target.policy.maxDurationMinutes, reasonRequired: target.policy.reasonRequired, by: 'The target' });
  const created = createdEntry(pending, input.requester, now);
  if (!input.autoApproval) return { next: pending, entries: [created] };

  const decision: Decision = { approverId: systemActor.id, at: now.toISOString(), note: input.autoApproval };
  const approved = grant(pending, [decision], now);
  return { next: approved, entries: [created, entry(approved, LogAction.requestApproved, systemActor, now, { rule: input.autoApproval, ...windowOf(approved) })] };
}

function grant(request: PendingRequest, approvals: Decision[], now: Date): ApprovedRequest {
  const { decideBy: _decideBy, ...rest } = request;
  return {
    ...rest,
    status: 'approved',
    approvals,
    approvedAt: now.toISOString(),
    // The window starts at approval, not at creation: waiting for approvers does not eat the grant.
    windowStart: now.toISOString(),
    windowEnd: iso(now.getTime() + minutes(request.durationMinutes)),
    extensions: [],
  };
}

/**
 * Break-glass: approved on creation by the policy's break-glass rule, for at most its
 * own (short) maximum, always with a reason, and marked for review. Who may do it is
 * authorization.ts's `canBreakGlass`; the daily cap is the store's (a conditional counter
 * in the same transaction). Two events: request.created and request.break_glass_opened,
 * both flagged `breakGlass: true`, as is every later event of the request.
 */
export function openBreakGlass(input: Omit<NewRequest, 'autoApproval'>): Change {
  const { target, now } = input;
  const rule = target.policy.breakGlass;
  if (!rule) throw new PolicyViolationError('The target does not allow break-glass.');
  const pending: PendingRequest = { ...pendingRequest(input, { maxMinutes: rule.maxDurationMinutes, reasonRequired: true, by: "The target's break-glass rule" }), breakGlass: { openedAt: now.toISOString() } };
  const decision: Decision = { approverId: systemActor.id, at: now.toISOString(), note: 'break-glass' };
  const opened = grant(pending, [decision], now);
  return {
    next: opened,
    entries: [
      createdEntry(pending, input.requester, now),
      entry(opened, LogAction.breakGlassOpened, input.requester, now, { reason: opened.reason, ...windowOf(opened) }),
    ],
  };
}

/** The review every break-glass grant needs: once, in any status after it opened. */
export function reviewBreakGlass(request: AccessRequest, reviewer: Actor, now: Date, review: { outcome: ReviewOutcome; note: string }): Change {
  if (!request.breakGlass) throw new InvalidTransitionError('request that is not break-glass', 'reviewed');
  if (request.breakGlass.review) throw new InvalidTransitionError('reviewed break-glass', 'reviewed again');
  const next = bump({ ...request, breakGlass: { ...request.breakGlass, review: { reviewerId: reviewer.id, at: now.toISOString(), ...review } } });
  return { next, entries: [entry(next, LogAction.breakGlassReviewed, reviewer, now, { outcome: review.outcome, note: review.note })] };
}

const windowOf = (r: ApprovedRequest) => ({ windowStart: r.windowStart, windowEnd: r.windowEnd });

export type ApproveOptions = {
  note?: string;
  /** The version of the target (and so of its policy) the decision is made under. */
  policyVersion?: number;
};

/**
 * Quorum counts distinct approvers under the policy in force now: approvals given
 * under an earlier version of the target's policy (other approvers, another quorum)
 * no longer count, and their authors may approve again.
 */
function addDecision(approvals: Decision[], approver: Actor, now: Date, options: ApproveOptions): { approvals: Decision[]; counted: number } {
  const current = (a: Decision) => a.policyVersion === options.policyVersion;
  if (approvals.some((a) => a.approverId === approver.id && current(a))) throw new AlreadyDecidedError();
  const decision: Decision = {
    approverId: approver.id,
    at: now.toISOString(),
    ...(options.note ? { note: options.note } : {}),
    ...(options.policyVersion !== undefined ? { policyVersion: options.policyVersion } : {}),
  };
  const next = [...approvals.filter((a) => a.approverId !== approver.id), decision];
  return { approvals: next, counted: next.filter(current).length };
}

/** Approve a pending request, or the pending extension of an open grant. */
export function approve(request: AccessRequest, approver: Actor, policy: Policy, now: Date, options: ApproveOptions = {}): Change {
  if (request.status === 'pending') {
    if (pastDecision(request, now)) throw new InvalidTransitionError('pending request past its decision deadline', 'approved');
    const { approvals, counted } = addDecision(request.approvals, approver, now, options);
    if (counted < policy.approvalsRequired) {
      const next = bump({ ...request, approvals });
      return { next, entries: [entry(next, LogAction.approvalRecorded, approver, now, { approvals: counted, required: policy.approvalsRequired })] };
    }
    const next = bump(grant(request, approvals, now));
    return { next, entries: [entry(next, LogAction.requestApproved, approver, now, { approvals: counted, ...windowOf(next) })] };
  }
  if (request.status === 'approved' && request.pendingExtension && !pastWindow(request, now)) {
    return approveExtension(request, request.pendingExtension, approver, policy, now, options);
  }
  throw new InvalidTransitionError(request.status, 'approved');
}

function approveExtension(request: ApprovedRequest, ext: Extension, approver: Actor, policy: Policy, now: Date, options: ApproveOptions): Change {
  const { approvals, counted } = addDecision(ext.approvals, approver, now, options);
  if (counted < policy.approvalsRequired) {
    const next = bump({ ...request, pendingExtension: { ...ext, approvals } });
    return { next, entries: [entry(next, LogAction.extensionApprovalRecorded, approver, now, { approvals: counted, required: policy.approvalsRequired })] };
  }
  const { pendingExtension: _done, ...rest } = request;
  const next = bump({
    ...rest,
    windowEnd: iso(Date.parse(request.windowEnd) + minutes(ext.minutes)),
    extensions: [...request.extensions, { ...ext, approvals }],
  });
  return { next, entries: [entry(next, LogAction.extensionApproved, approver, now, { minutes: ext.minutes, previousWindowEnd: request.windowEnd, ...windowOf(next) })] };
}

/** Deny a pending request, or the pending extension of an open grant (the grant itself stays). */
export function deny(request: AccessRequest, approver: Actor, now: Date, note?: string): Change {
  if (pastDecision(request, now)) throw new InvalidTransitionError('pending request past its decision deadline', 'denied');
  if (pastWindow(request, now)) throw new InvalidTransitionError('finished grant', 'denied');
  if (request.status === 'pending') {
    const next = bump({ ...request, status: 'denied' as const, deniedBy: approver.id, deniedAt: now.toISOString(), ...(note ? { note } : {}) });
    const { decideBy: _d, ...denied } = next;
    return { next: denied, entries: [entry(denied, LogAction.requestDenied, approver, now, note ? { note } : undefined)] };
  }
  if (request.status === 'approved' && request.pendingExtension) {
    const { pendingExtension, ...rest } = request;
    const next = bump(rest);
    return { next, entries: [entry(next, LogAction.extensionDenied, approver, now, { minutes: pendingExtension.minutes, ...(note ? { note } : {}) })] };
  }
  throw new InvalidTransitionError(request.status, 'denied');
}

export function cancel(request: AccessRequest, requester: Actor, now: Date): Change {
  if (request.status !== 'pending') throw new InvalidTransitionError(request.status, 'cancelled');
  if (pastDecision(request, now)) throw new InvalidTransitionError('pending request past its decision deadline', 'cancelled');
  const { decideBy: _d, approvals: _a, ...rest } = request;
  const next = bump({ ...rest, status: 'cancelled' as const, cancelledAt: now.toISOString() });
  return { next, entries: [entry(next, LogAction.requestCancelled, requester, now)] };
}

export function revoke(request: AccessRequest, actor: Actor, now: Date, note?: string): Change {
  if (request.status !== 'approved') throw new InvalidTransitionError(request.status, 'revoked');
  if (pastWindow(request, now)) throw new InvalidTransitionError('finished grant', 'revoked');
  const { pendingExtension: _p, ...rest } = request;
  const next = bump({ ...rest, status: 'revoked' as const, revokedBy: actor.id, revokedAt: now.toISOString(), ...(note ? { note } : {}) });
  return { next, entries: [entry(next, LogAction.requestRevoked, actor, now, { ...(note ? { note } : {}), ...windowOf(request) })] };
}

/** The sweeper's two moves: a pending request nobody decided in time, an approved grant whose window closed. */
export function expire(request: AccessRequest, now: Date): Change {
  if (request.status !== 'pending' || now.getTime() < Date.parse(request.decideBy)) throw new InvalidTransitionError(request.status, 'expired');
  const { decideBy, ...rest } = request;
  const next = bump({ ...rest, status: 'expired' as const, expiredAt: now.toISOString() });
  return { next, entries: [entry(next, LogAction.requestExpired, systemActor, now, { decideBy })] };
}

export function end(request: AccessRequest, now: Date): Change {
  if (request.status !== 'approved' || now.getTime() < Date.parse(request.windowEnd)) throw new InvalidTransitionError(request.status, 'ended');
  const { pendingExtension: _p, ...rest } = request;
  const next = bump({ ...rest, status: 'ended' as const, endedAt: now.toISOString() });
  return { next, entries: [entry(next, LogAction.requestEnded, systemActor, now, windowOf(request))] };
}

/** An extension is a new decision by the approvers, never a silent edit of the window. */
export function requestExtension(request: AccessRequest, requester: Actor, policy: Policy, extra: number, now: Date, reason?: string): Change {
  if (request.status !== 'approved' || pastWindow(request, now)) throw new InvalidTransitionError(request.status === 'approved' ? 'finished grant' : request.status, 'extended');
  if (request.pendingExtension) throw new InvalidTransitionError('grant with an extension awaiting decision', 'extended again');
  if (policy.reasonRequired && !reason?.trim()) throw new PolicyViolationError('The target requires a reason.');
  const total = (Date.parse(request.windowEnd) - Date.parse(request.windowStart)) / 60_000 + extra;
  if (total > policy.maxDurationMinutes) {
    throw new PolicyViolationError(`With the extension the grant would last ${total} minutes; the target allows at most ${policy.maxDurationMinutes}.`, { maxDurationMinutes: policy.maxDurationMinutes });
  }
  const ext: Extension = { minutes: extra, requestedAt: now.toISOString(), approvals: [], ...(reason?.trim() ? { reason: reason.trim() } : {}) };
  const next = bump({ ...request, pendingExtension: ext });
  return { next, entries: [entry(next, LogAction.extensionRequested, requester, now, { minutes: extra, ...(ext.reason ? { reason: ext.reason } : {}) })] };
}
