import { AlreadyExistsError, ConcurrentModificationError } from '#shared/kernel/errors';
import { BreakGlassLimitError } from '#shared/requests/errors';
import { awaitsReview, deadlineOf, type AccessRequest, type ApprovedRequest, type RequestStatus } from '#shared/requests/access-request';
import type { Change } from '#shared/requests/transitions';
import type { Page, PageRequest } from '#shared/kernel/ports';
import type { BreakGlassQuota, DueRequest, Requester, RequestStore } from '#shared/requests/ports';
import { InMemoryGrantLog } from './grant-log.ts';
import { key, paginate } from './paging.ts';

// Keeps DynamoRequestStore's promises: conditional writes, state and log in one
// "transaction", tenant-scoped reads, copies in and out (tests/contract/request-store.contract.ts).

export class InMemoryRequestStore implements RequestStore {
  private readonly items = new Map<string, AccessRequest>();
  /** Break-glass grants opened per tenant, person and UTC day. */
  private readonly breakGlassDays = new Map<string, number>();
  constructor(readonly log = new InMemoryGrantLog()) {}

  /** Arrange only: put a request in place without a log event, as if written long ago. */
  seed(request: AccessRequest): void {
    this.items.set(key(request.tenantId, request.requestId), structuredClone(request));
  }
  /** Inspection only: every stored request, across tenants. */
  all(): AccessRequest[] {
    return [...this.items.values()].map((r) => structuredClone(r));
  }

  async get(tenantId: string, requestId: string): Promise<AccessRequest | undefined> {
    const item = this.items.get(key(tenantId, requestId));
    return item && structuredClone(item);
  }

  async create(change: Change): Promise<void> {
    const k = key(change.next.tenantId, change.next.requestId);
    if (this.items.has(k)) throw new AlreadyExistsError('A request with this id');
    this.commit(k, change);
  }

  async save(change: Change, expectedVersion: number): Promise<void> {
    const k = key(change.next.tenantId, change.next.requestId);
    const stored = this.items.get(k);
    if (!stored || stored.version !== expectedVersion) throw new ConcurrentModificationError('The request');
    // Not a DynamoDB condition but a contract every caller must honour: a write moves the version by one.
    if (change.next.version !== expectedVersion + 1) throw new Error(`A save must bump the version by one (${expectedVersion} -> ${change.next.version})`);
    this.commit(k, change);
  }

  /** Check and count in one synchronous step: like the conditional increment, concurrent callers cannot both pass the limit. */
  async openBreakGlass(change: Change, quota: BreakGlassQuota): Promise<void> {
    const k = key(change.next.tenantId, change.next.requestId);
    if (this.items.has(k)) throw new AlreadyExistsError('A request with this id');
    const day = key(change.next.tenantId, quota.requester.kind, quota.requester.id, quota.day);
    const opened = this.breakGlassDays.get(day) ?? 0;
    if (opened >= quota.limit) throw new BreakGlassLimitError(quota.limit, quota.day);
    this.commit(k, change);
    this.breakGlassDays.set(day, opened + 1);
  }

  async saveReview(change: Change, expectedVersion: number): Promise<void> {
    await this.save(change, expectedVersion);
  }

  async listUnreviewed(tenantId: string, page: PageRequest): Promise<Page<AccessRequest>> {
    return paginate(this.newestFirst((r) => r.tenantId === tenantId && awaitsReview(r)), key('unreviewed', tenantId), page);
  }

  /** Inspection only: break-glass grants counted for one person on one day. */
  breakGlassOpened(tenantId: string, requester: Requester, day: string): number {
    return this.breakGlassDays.get(key(tenantId, requester.kind, requester.id, day)) ?? 0;
  }

  private commit(k: string, change: Change): void {
    if (change.entries.some((e) => e.tenantId !== change.next.tenantId)) throw new Error('Log entries must belong to the tenant of the request');
    this.log.append(change.entries); // throws before the state is written: both or neither
    this.items.set(k, structuredClone(change.next));
  }

  async listByRequester(tenantId: string, requester: Requester, page: PageRequest): Promise<Page<AccessRequest>> {
    const mine = (r: AccessRequest) => r.tenantId === tenantId && r.requesterId === requester.id && r.requesterKind === requester.kind;
    return paginate(this.newestFirst(mine), key('requester', tenantId, requester.kind, requester.id), page);
  }

  async listByStatus(tenantId: string, status: RequestStatus, page: PageRequest): Promise<Page<AccessRequest>> {
    return paginate(this.newestFirst((r) => r.tenantId === tenantId && r.status === status), key('status', tenantId, status), page);
  }

  async listApprovedOnTarget(tenantId: string, targetId: string): Promise<ApprovedRequest[]> {
    return this.newestFirst((r) => r.tenantId === tenantId && r.targetId === targetId && r.status === 'approved').map((r) => structuredClone(r)) as ApprovedRequest[];
  }

  async *listDue(until: Date, lookbackDays: number): AsyncIterable<DueRequest> {
    // The real index has one partition per deadline day, from `lookbackDays` before `until` up to it.
    const firstDay = new Date(until.getTime() - lookbackDays * 86_400_000).toISOString().slice(0, 10);
    const due = [...this.items.values()]
      .map((r) => ({ tenantId: r.tenantId, requestId: r.requestId, deadline: deadlineOf(r) }))
      .filter((d): d is DueRequest => d.deadline !== undefined && d.deadline <= until.toISOString() && d.deadline.slice(0, 10) >= firstDay)
      .sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
    for (const d of due) yield d;
  }

  private newestFirst(match: (r: AccessRequest) => boolean): AccessRequest[] {
    const sortKey = (r: AccessRequest) => `${r.createdAt}#${r.requestId}`;
    return [...this.items.values()].filter(match).sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
  }
}
