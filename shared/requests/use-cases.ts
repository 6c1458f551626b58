import { ConcurrentModificationError, ForbiddenError, NotFoundError, PolicyViolationError, ValidationError } from '../kernel/errors.ts';
import type { AccessRequest, RequestStatus, ReviewOutcome } from './access-request.ts';
import { autoApprovalRule, canBreakGlass, canDecide, canRequest, canReview, canRevoke, canView, isRequester } from './authorization.ts';
import { canAdminister, hasRole, type Principal } from '../kernel/principal.ts';
import { findTicket, requireStepUp, type Target } from '../targets/index.ts';
import * as transitions from './transitions.ts';
import type { Page } from '../kernel/ports.ts';
import type { Deps } from './deps.ts';

export type NewRequestInput = { targetId: string; databaseUser: string; durationMinutes: number; reason?: string; breakGlass?: boolean };

/**
 * Ask for access:
 * 1. the target must exist in the caller's tenant and the caller may request this database user on it;
 * 2. duration and reason are checked against the target's policy;
 * 3. an auto-approval rule that names the caller approves it at once (two log events: created, approved);
 * 4. the request and its events are written in one transaction.
 * With `breakGlass`, see openBreakGlass below instead of steps 2–3.
 */
export async function createRequest(deps: Pick<Deps, 'clock' | 'ids' | 'targets' | 'requests'>, principal: Principal, input: NewRequestInput): Promise<AccessRequest> {
  const target = await deps.targets.get(principal.tenantId, input.targetId);
  if (!target) throw new NotFoundError('The target');
  if (!target.databaseUsers.includes(input.databaseUser)) {
    throw new ValidationError('The target has no such database user.', { databaseUsers: target.databaseUsers });
  }
  if (!canRequest(principal, target, input.databaseUser)) throw new ForbiddenError('You may not request access to this database user.');
  if (input.breakGlass) return openBreakGlass(deps, principal, target, input);
  const ticket = await ticketIn(target, input.reason);
  const change = transitions.createRequest({
    tenantId: principal.tenantId,
    requestId: deps.ids.next('req'),
    target,
    databaseUser: input.databaseUser,
    requester: principal,
    durationMinutes: input.durationMinutes,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    now: deps.clock.now(),
    ...withAutoApproval(autoApprovalRule(principal, target, input.databaseUser)),
    ...(ticket ? { ticket } : {}),
  });
  await deps.requests.create(change);
  return change.next;
}

/**
 * Break-glass: a grant opened at once, without approvers.
 * 1. the target's policy must have a break-glass rule that names the caller (a person);
 * 2. duration (the rule's shorter maximum), the mandatory reason and the ticket pattern are checked;
 * 3. the grant, its two events (created, break_glass_opened) and the day's count are one
 *    transaction; the count is conditional, so the daily cap holds under concurrent opens.
 */
async function openBreakGlass(deps: Pick<Deps, 'clock' | 'ids' | 'requests'>, principal: Principal, target: Target, input: NewRequestInput): Promise<AccessRequest> {
  const rule = target.policy.breakGlass;
  if (!rule) throw new PolicyViolationError("The target's policy does not allow break-glass.");
  if (!canBreakGlass(principal, target, input.databaseUser)) throw new ForbiddenError("You are not named by this target's break-glass rule.");
  const ticket = await ticketIn(target, input.reason);
  const now = deps.clock.now();
  const change = transitions.openBreakGlass({
    tenantId: principal.tenantId,
    requestId: deps.ids.next('req'),
    target,
    databaseUser: input.databaseUser,
    requester: principal,
    durationMinutes: input.durationMinutes,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(ticket ? { ticket } : {}),
    now,
  });
  await deps.requests.openBreakGlass(change, { requester: principal, day: now.toISOString().slice(0, 10), limit: rule.maxPerPersonPerDay });
  return change.next;
}

export type ReviewInput = { requestId: string; outcome: ReviewOutcome; note: string };

/** Review a break-glass grant afterwards: a named approver who is not the one who opened it, once. */
export async function reviewRequest(deps: Pick<Deps, 'clock' | 'targets' | 'requests'>, principal: Principal, input: ReviewInput): Promise<AccessRequest> {
  const { request, target } = await load(deps, principal, input.requestId);
  if (isRequester(principal, request)) throw new ForbiddenError('You cannot review your own break-glass grant.');
  if (!canReview(principal, request, target.policy)) throw new ForbiddenError("Only an approver named by this target's policy can review its break-glass grants.");
  const change = transitions.reviewBreakGlass(request, principal, deps.clock.now(), { outcome: input.outcome, note: input.note });
  await deps.requests.saveReview(change, request.version);
  return change.next;
}

/** The ticket reference the target's pattern finds in the reason (the transition refuses when one is required and none was found). */
async function ticketIn(target: Target, reason: string | undefined): Promise<string | undefined> {
  return target.policy.ticketPattern && reason?.trim() ? findTicket(target.policy.ticketPattern, reason.trim()) : undefined;
}

const withAutoApproval = (rule: string | undefined) => (rule ? { autoApproval: rule } : {});

async function load(deps: Pick<Deps, 'targets' | 'requests'>, principal: Principal, requestId: string): Promise<{ request: AccessRequest; target: Target }> {
  const request = await deps.requests.get(principal.tenantId, requestId);
  const target = request && (await deps.targets.get(principal.tenantId, request.targetId));
  // A request the caller may not see does not exist for it: 404, not 403, so ids leak nothing.
  if (!request || !target || !canView(principal, request, target.policy)) throw new NotFoundError('The request');
  return { request, target };
}

export async function getRequest(deps: Pick<Deps, 'targets' | 'requests'>, principal: Principal, requestId: string): Promise<AccessRequest> {
  return (await load(deps, principal, requestId)).request;
}

export type DecisionInput = { requestId: string; note?: string };

/**
 * Decisions commute: two approvers deciding at once are both counted. When the
 * request changed between read and write, read it again and decide again (each
 * attempt is still one conditional write with its event, and still refused if
 * the state no longer allows it — an approval after a denial is a 409).
 */
async function redecide<T>(decide: () => Promise<T>, budgetMs = 3_000, attempts = 25): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await decide();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || attempt >= attempts || Date.now() - started > budgetMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}

/** Approve (or approve a pending extension): a named approver, never the requester, each approver counted once. */
export function approveRequest(deps: Pick<Deps, 'clock' | 'targets' | 'requests' | 'metrics'>, principal: Principal, input: DecisionInput): Promise<AccessRequest> {
  return redecide(() => approveOnce(deps, principal, input));
}

async function approveOnce(deps: Pick<Deps, 'clock' | 'targets' | 'requests' | 'metrics'>, principal: Principal, input: DecisionInput): Promise<AccessRequest> {
  const { request, target } = await load(deps, principal, input.requestId);
  if (isRequester(principal, request)) throw new ForbiddenError('You cannot approve your own request.');
  if (!canDecide(principal, request, target.policy)) throw new ForbiddenError("You are not an approver named by this target's policy.");
  requireStepUp(principal, target.policy, 'approve', deps.clock.now());
  const change = transitions.approve(request, principal, target.policy, deps.clock.now(), {
    ...(input.note ? { note: input.note } : {}),
    policyVersion: target.version,
  });
  await deps.requests.save(change, request.version);
  recordDecision(deps, request, change.next);
  return change.next;
}

export function denyRequest(deps: Pick<Deps, 'clock' | 'targets' | 'requests' | 'metrics'>, principal: Principal, input: DecisionInput): Promise<AccessRequest> {
  return redecide(() => denyOnce(deps, principal, input));
}

async function denyOnce(deps: Pick<Deps, 'clock' | 'targets' | 'requests' | 'metrics'>, principal: Principal, input: DecisionInput): Promise<AccessRequest> {
  const { request, target } = await load(deps, principal, input.requestId);
  if (isRequester(principal, request)) throw new ForbiddenError('You cannot decide your own request; cancel it instead.');
  if (!canDecide(principal, request, target.policy)) throw new ForbiddenError("You are not an approver named by this target's policy.");
  const change = transitions.deny(request, principal, deps.clock.now(), input.note);
  await deps.requests.save(change, request.version);
  recordDecision(deps, request, change.next);
  return change.next;
}

/** Decision latency: only when a pending request was settled (a vote short of quorum or an extension is not one). */
function recordDecision(deps: Pick<Deps, 'metrics'>, before: AccessRequest, after: AccessRequest): void {
  if (before.status !== 'pending') return;
  const decided = after.status === 'approved' ? after.approvedAt : after.status === 'denied' ? after.deniedAt : undefined;
  if (!decided || (after.status !== 'approved' && after.status !== 'denied')) return;
  deps.metrics.requestDecided(
    { outcome: after.status, latencyMs: Date.parse(decided) - Date.parse(before.createdAt) },
    { tenantId: after.tenantId, requestId: after.requestId },
  );
}

export async function cancelRequest(deps: Pick<Deps, 'clock' | 'targets' | 'requests'>, principal: Principal, requestId: string): Promise<AccessRequest> {
  const { request } = await load(deps, principal, requestId);
  if (!isRequester(principal, request)) throw new ForbiddenError('Only the requester can cancel a request.');
  const change = transitions.cancel(request, principal, deps.clock.now());
  await deps.requests.save(change, request.version);
  return change.next;
}

export async function revokeRequest(deps: Pick<Deps, 'clock' | 'targets' | 'requests'>, principal: Principal, input: DecisionInput): Promise<AccessRequest> {
  const { request, target } = await load(deps, principal, input.requestId);
  if (!canRevoke(principal, target.policy)) throw new ForbiddenError('Only an approver of this target or an admin can revoke a grant.');
  const change = transitions.revoke(request, principal, deps.clock.now(), input.note);
  await deps.requests.save(change, request.version);
  return change.next;
}

export async function extendRequest(
  deps: Pick<Deps, 'clock' | 'targets' | 'requests'>,
  principal: Principal,
  input: { requestId: string; minutes: number; reason?: string },
): Promise<AccessRequest> {
  const { request, target } = await load(deps, principal, input.requestId);
  if (!isRequester(principal, request)) throw new ForbiddenError('Only the requester can ask for an extension.');
  const change = transitions.requestExtension(request, principal, target.policy, input.minutes, deps.clock.now(), input.reason);
  await deps.requests.save(change, request.version);
  return change.next;
}

export type ListView = 'mine' | 'approvable' | 'tenant' | 'unreviewed';
export type ListInput = { view: ListView; status?: RequestStatus; limit: number; cursor?: string };

/**
 * List requests:
 * - mine: the caller's own, newest first (optionally one status);
 * - approvable: pending requests the caller could decide now (named approver, not the requester);
 * - tenant: every request of one status — admins and auditors only;
 * - unreviewed: break-glass grants nobody reviewed yet — admins and auditors all of them,
 *   approvers those of targets whose policy names them (the ones they can review).
 */
export async function listRequests(deps: Pick<Deps, 'targets' | 'requests'>, principal: Principal, input: ListInput): Promise<Page<AccessRequest>> {
  const page = { limit: input.limit, ...(input.cursor !== undefined ? { cursor: input.cursor } : {}) };
  if (input.view === 'mine') {
    const result = await deps.requests.listByRequester(principal.tenantId, principal, page);
    return input.status ? { ...result, items: result.items.filter((r) => r.status === input.status) } : result;
  }
  if (input.view === 'approvable') {
    if (!hasRole(principal, 'approver')) throw new ForbiddenError('Only approvers have requests waiting for them.');
    const result = await deps.requests.listByStatus(principal.tenantId, 'pending', page);
    const policies = new Map<string, Target | undefined>();
    const items: AccessRequest[] = [];
    for (const request of result.items) {
      if (!policies.has(request.targetId)) policies.set(request.targetId, await deps.targets.get(principal.tenantId, request.targetId));
      const target = policies.get(request.targetId);
      const waiting = request.status === 'pending' && !request.approvals.some((a) => a.approverId === principal.id);
      if (waiting && target && canDecide(principal, request, target.policy)) items.push(request);
    }
    return { ...result, items };
  }
  if (input.view === 'unreviewed') return listUnreviewed(deps, principal, page);
  if (!canAdminister(principal) && !hasRole(principal, 'auditor')) throw new ForbiddenError('Only admins and auditors can list all requests.');
  if (!input.status) throw new ValidationError('The tenant view needs a status.');
  return deps.requests.listByStatus(principal.tenantId, input.status, page);
}

async function listUnreviewed(deps: Pick<Deps, 'targets' | 'requests'>, principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<AccessRequest>> {
  const seesAll = canAdminister(principal) || (principal.kind === 'user' && hasRole(principal, 'auditor'));
  if (!seesAll && !hasRole(principal, 'approver')) throw new ForbiddenError('Only admins, auditors and approvers can list unreviewed break-glass grants.');
  const result = await deps.requests.listUnreviewed(principal.tenantId, page);
  if (seesAll) return result;
  const targets = new Map<string, Target | undefined>();
  const items: AccessRequest[] = [];
  for (const request of result.items) {
    if (!targets.has(request.targetId)) targets.set(request.targetId, await deps.targets.get(principal.tenantId, request.targetId));
    const target = targets.get(request.targetId);
    if (target && canReview(principal, request, target.policy)) items.push(request);
  }
  return { ...result, items };
}
