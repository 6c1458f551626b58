import type { AccessRequest } from '#shared/requests/access-request';
import type { Policy } from '#shared/targets/target';
import * as t from '#shared/requests/transitions';
import { T0, TENANT, aPolicy, aTarget, aUser, inStatus, minutes } from '../../support/fakes/index.ts';

// Requests in every status, reached through the real transitions (never hand-built),
// on one timeline: created at T0, decideBy T0+60, approved at T0+10, window T0+10..T0+70.
export const at = (offsetMinutes: number) => new Date(Date.parse(T0) + minutes(offsetMinutes));

export const requester = aUser('alice', ['requester']);
export const approver = aUser('bob', ['approver'], { groups: ['dba'] });
export const secondApprover = aUser('carol', ['approver'], { groups: ['dba'] });
export const thirdApprover = aUser('dave', ['approver'], { groups: ['dba'] });
export const admin = aUser('erin', ['admin']);

export const REASON = 'investigate INC-4242 slow checkout';
export const EXTENSION_REASON = 'migration still running INC-4242b';

export const timeline = {
  created: at(0),
  decideBy: at(60),
  approved: at(10),
  extensionRequested: at(20),
  windowEnd: at(70),
};

export function pendingRequest(policy: Policy = aPolicy(), durationMinutes = 60) {
  const change = t.createRequest({
    tenantId: TENANT,
    requestId: 'req_0000000001',
    target: aTarget({ policy }),
    databaseUser: 'app_ro',
    requester,
    durationMinutes,
    reason: REASON,
    now: timeline.created,
  });
  return inStatus(change.next, 'pending');
}

/** Approved at T0+10 by as many distinct approvers as the policy asks for. */
export function approvedRequest(policy: Policy = aPolicy(), durationMinutes = 60) {
  let request: AccessRequest = pendingRequest(policy, durationMinutes);
  for (const who of [approver, secondApprover, thirdApprover].slice(0, policy.approvalsRequired)) {
    request = t.approve(request, who, policy, timeline.approved).next;
  }
  return inStatus(request, 'approved');
}

export function approvedWithPendingExtension(policy: Policy = aPolicy(), extra = 30) {
  const approved = approvedRequest(policy);
  return inStatus(t.requestExtension(approved, requester, policy, extra, timeline.extensionRequested, EXTENSION_REASON).next, 'approved');
}

/** One request in each state (and the approved grant with an extension awaiting decision). */
export function requestIn(state: RequestState, policy: Policy = aPolicy()): AccessRequest {
  switch (state) {
    case 'pending':
      return pendingRequest(policy);
    case 'approved':
      return approvedRequest(policy);
    case 'approved+extension':
      return approvedWithPendingExtension(policy);
    case 'denied':
      return t.deny(pendingRequest(policy), approver, at(5)).next;
    case 'cancelled':
      return t.cancel(pendingRequest(policy), requester, at(5)).next;
    case 'expired':
      return t.expire(pendingRequest(policy), at(61)).next;
    case 'revoked':
      return t.revoke(approvedRequest(policy), admin, at(30)).next;
    case 'ended':
      return t.end(approvedRequest(policy), at(71)).next;
  }
}

export const requestStates = ['pending', 'approved', 'approved+extension', 'denied', 'cancelled', 'expired', 'revoked', 'ended'] as const;
export type RequestState = (typeof requestStates)[number];
