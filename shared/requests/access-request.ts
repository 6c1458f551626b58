// The access request is a discriminated union on `status`; every change goes
// through a pure function in transitions.ts and is written conditionally on
// the version it was computed from.
export const RequestStatus = {
  pending: 'pending',
  approved: 'approved',
  denied: 'denied',
  cancelled: 'cancelled',
  expired: 'expired',
  revoked: 'revoked',
  ended: 'ended',
} as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];
export const requestStatuses = Object.values(RequestStatus) as [RequestStatus, ...RequestStatus[]];

export type Decision = {
  approverId: string;
  at: string;
  note?: string;
  /** The target's version (its policy) when the decision was made; only current-version approvals count. */
  policyVersion?: number;
};

type RequestBase = {
  tenantId: string;
  requestId: string;
  targetId: string;
  databaseUser: string;
  requesterId: string;
  requesterKind: 'user' | 'service';
  /** The target's integration when the request was made: lets issuance read target and integration at once (a hint; the target decides). */
  integrationId?: string;
  reason?: string;
  /** The ticket reference the target's `ticketPattern` found in the reason. */
  ticket?: string;
  /** Set on a grant opened at once by break-glass; it needs a review afterwards. */
  breakGlass?: BreakGlass;
  durationMinutes: number;
  createdAt: string;
  /** Bumped by every write; the condition every write is made on. */
  version: number;
};

export const ReviewOutcome = { acknowledged: 'acknowledged', escalated: 'escalated' } as const;
export type ReviewOutcome = (typeof ReviewOutcome)[keyof typeof ReviewOutcome];
export type BreakGlassReview = { reviewerId: string; at: string; outcome: ReviewOutcome; note: string };
export type BreakGlass = { openedAt: string; review?: BreakGlassReview };

export type Extension = {
  minutes: number;
  reason?: string;
  requestedAt: string;
  approvals: Decision[];
};

export type PendingRequest = RequestBase & {
  status: 'pending';
  approvals: Decision[];
  /** When nobody decided in time, the sweeper expires the request. */
  decideBy: string;
};

type Granted = {
  approvals: Decision[];
  approvedAt: string;
  windowStart: string;
  windowEnd: string;
  /** Extensions granted so far, oldest first. */
  extensions: Extension[];
};

export type ApprovedRequest = RequestBase &
  Granted & {
    status: 'approved';
    pendingExtension?: Extension;
  };

export type DeniedRequest = RequestBase & {
  status: 'denied';
  approvals: Decision[];
  deniedBy: string;
  deniedAt: string;
  note?: string;
};

export type CancelledRequest = RequestBase & { status: 'cancelled'; cancelledAt: string };
export type ExpiredRequest = RequestBase & { status: 'expired'; expiredAt: string };
export type RevokedRequest = RequestBase & Granted & { status: 'revoked'; revokedBy: string; revokedAt: string; note?: string };
export type EndedRequest = RequestBase & Granted & { status: 'ended'; endedAt: string };

export type AccessRequest =
  | PendingRequest
  | ApprovedRequest
  | DeniedRequest
  | CancelledRequest
  | ExpiredRequest
  | RevokedRequest
  | EndedRequest;

/** An approved grant is open from approval until its window ends; the sweeper marks it ended later. */
export function isOpenGrant(request: AccessRequest, now: Date): request is ApprovedRequest {
  return request.status === 'approved' && now.getTime() < Date.parse(request.windowEnd);
}

/** A break-glass grant nobody has reviewed yet (whatever its status now: ended and revoked ones need review too). */
export function awaitsReview(request: AccessRequest): boolean {
  return request.breakGlass !== undefined && request.breakGlass.review === undefined;
}

/** The moment the sweeper has to act on a request, if any. */
export function deadlineOf(request: AccessRequest): string | undefined {
  if (request.status === 'pending') return request.decideBy;
  if (request.status === 'approved') return request.windowEnd;
  return undefined;
}
