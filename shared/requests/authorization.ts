import type { AccessRequest } from './access-request.ts';
import { canAdminister, hasRole, type Principal } from '../kernel/principal.ts';
import type { Policy, Target } from '../targets/index.ts';

// Pure authorization rules. Handlers never decide who may do what; use cases ask here.
// Tenant isolation is not a rule here: stores only ever read within the caller's tenant.

function namedIn(principal: Principal, list: { groups: readonly string[]; principals: readonly string[] }): boolean {
  return list.principals.includes(principal.id) || principal.groups.some((g) => list.groups.includes(g));
}

export function canRequest(principal: Principal, target: Target, databaseUser: string): boolean {
  if (!hasRole(principal, 'requester')) return false;
  if (!target.databaseUsers.includes(databaseUser)) return false;
  if (principal.kind === 'service') {
    return principal.scope?.access.some((a) => a.targetId === target.targetId && a.databaseUsers.includes(databaseUser)) ?? false;
  }
  const { requesters } = target.policy;
  return requesters.groups.length + requesters.principals.length === 0 || namedIn(principal, requesters);
}

/** An approver for a target: holds the approver role and is named by the target's policy. */
export function isNamedApprover(principal: Principal, policy: Policy): boolean {
  return principal.kind === 'user' && hasRole(principal, 'approver') && namedIn(principal, policy.approvers);
}

/** Approve or deny: a named approver who is not the requester (by id alone, whatever the kind: the stricter reading). */
export function canDecide(principal: Principal, request: AccessRequest, policy: Policy): boolean {
  return isNamedApprover(principal, policy) && principal.id !== request.requesterId;
}

export function canRevoke(principal: Principal, policy: Policy): boolean {
  return canAdminister(principal) || isNamedApprover(principal, policy);
}

/**
 * The requester is a (kind, id) pair: a person's id is whatever `sub` their IdP issued, so a
 * person whose sub spells a registered service's role ARN is still not that service.
 */
export function isRequester(principal: Principal, request: Pick<AccessRequest, 'requesterId' | 'requesterKind'>): boolean {
  return principal.kind === request.requesterKind && principal.id === request.requesterId;
}

export function canView(principal: Principal, request: AccessRequest, policy: Policy): boolean {
  return (
    isRequester(principal, request) ||
    canAdminister(principal) ||
    (principal.kind === 'user' && hasRole(principal, 'auditor')) ||
    isNamedApprover(principal, policy)
  );
}

/**
 * Break-glass narrows, never widens: the caller must be a person who may request this
 * database user at all, and be named by the policy's break-glass rule. Services never
 * break glass (nobody to hold to a review of their judgement).
 */
export function canBreakGlass(principal: Principal, target: Target, databaseUser: string): boolean {
  const rule = target.policy.breakGlass;
  return principal.kind === 'user' && rule !== undefined && canRequest(principal, target, databaseUser) && namedIn(principal, rule);
}

/**
 * Review a break-glass grant: a named approver of the target, never the one who opened
 * it — even when that person is a named approver, a review by oneself reviews nothing.
 */
export function canReview(principal: Principal, request: AccessRequest, policy: Policy): boolean {
  return isNamedApprover(principal, policy) && principal.id !== request.requesterId;
}

/** A request is approved on creation when the service is registered so, or a policy rule names the requester for this database user. */
export function autoApprovalRule(principal: Principal, target: Target, databaseUser: string): string | undefined {
  if (principal.kind === 'service') return principal.scope?.autoApprove ? 'service-registration' : undefined;
  const index = target.policy.autoApprove.findIndex((r) => r.databaseUser === databaseUser && namedIn(principal, r));
  return index === -1 ? undefined : `policy.autoApprove[${index}]`;
}
