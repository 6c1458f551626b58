import type { Page, PageRequest } from '../kernel/ports.ts';
import type { AccessRequest, ApprovedRequest, RequestStatus } from './access-request.ts';
import type { Change } from './transitions.ts';

export type Requester = { id: string; kind: 'user' | 'service' };

export type DueRequest = { tenantId: string; requestId: string; deadline: string };

export interface RequestStore {
  get(tenantId: string, requestId: string): Promise<AccessRequest | undefined>;
  /** Writes the new request and its log entries in one transaction. */
  create(change: Change): Promise<void>;
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
