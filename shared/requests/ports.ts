import type { Page, PageRequest } from '../kernel/ports.ts';
import type { AccessRequest, ApprovedRequest, RequestStatus } from './access-request.ts';
import type { Change } from './transitions.ts';

export type Requester = { id: string; kind: 'user' | 'service' };

/** The daily break-glass allowance one write draws on: `day` is the UTC date, counted per person across the tenant. */
export type BreakGlassQuota = { requester: Requester; day: string; limit: number };

export type DueRequest = { tenantId: string; requestId: string; deadline: string };

export interface RequestStore {
  get(tenantId: string, requestId: string): Promise<AccessRequest | undefined>;
  /** Writes the new request and its log entries in one transaction. */
  create(change: Change): Promise<void>;
  /**
   * Writes a break-glass grant and its log entries, and counts it against the requester's
   * daily quota, in one transaction: the count is a conditional increment (below `limit`),
   * so concurrent opens can never exceed it. Throws BreakGlassLimitError when used up.
   */
  openBreakGlass(change: Change, quota: BreakGlassQuota): Promise<void>;
  /** Saves a break-glass review (as save does) and takes the grant off the unreviewed list in the same transaction. */
  saveReview(change: Change, expectedVersion: number): Promise<void>;
  /** Break-glass grants not reviewed yet, newest first. */
  listUnreviewed(tenantId: string, page: PageRequest): Promise<Page<AccessRequest>>;
  /** Writes the next state only if the stored version is still `expectedVersion`, with its log entries, in one transaction. */
  save(change: Change, expectedVersion: number): Promise<void>;
  /** A requester's own requests: a person and a service never share them, whatever their ids. */
  listByRequester(tenantId: string, requester: Requester, page: PageRequest): Promise<Page<AccessRequest>>;
  listByStatus(tenantId: string, status: RequestStatus, page: PageRequest): Promise<Page<AccessRequest>>;
  /** Every approved request on one target, window ended or not (a target change judges which are still open). */
  listApprovedOnTarget(tenantId: string, targetId: string): Promise<ApprovedRequest[]>;
  /** Requests whose deadline (decision or window end) is at or before `until`. */
  listDue(until: Date, lookbackDays: number): AsyncIterable<DueRequest>;
}
