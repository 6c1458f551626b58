import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { deadlineOf, type AccessRequest, type RequestStatus } from '#shared/requests/access-request';
import { chainEvent, genesisHash, type LogEntry, type LogEvent } from '#shared/grant-log/events';
import { parseRoleArn } from '#shared/iam/arns';
import type { Principal } from '#shared/kernel/principal';
import { policySchema, targetInputSchema, type Policy, type Target, type TargetInput } from '#shared/targets/target';
import { type ServicePrincipal } from '#shared/services/service';
import type { Change } from '#shared/requests/transitions';
import type { Clock, IdGenerator, MetricIds, Metrics, Page, PageRequest } from '#shared/kernel/ports';
import type { DueRequest, Requester, RequestStore } from '#shared/requests/ports';
import type { ServiceStore } from '#shared/services/ports';
import type { TargetStore } from '#shared/targets/ports';
import type { Deps } from '#shared/requests/deps';
import { policy, targetInput } from './builders.ts';

// In-memory implementations of the ports in shared/ports.ts. They keep the
// promises the DynamoDB adapters keep (conditional writes, one transaction for
// state and log, tenant-scoped reads, copies in and out) so that a use case
// that passes against them has the same guarantees against DynamoDB.

export const T0 = '2030-01-15T09:00:00.000Z';
export const minutes = (n: number) => n * 60_000;

export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date | string = T0) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  /** Milliseconds, or a readable amount. */
  advance(by: number | { days?: number; hours?: number; minutes?: number; seconds?: number }): void {
    this.current +=
      typeof by === 'number' ? by : (((by.days ?? 0) * 24 + (by.hours ?? 0)) * 60 + (by.minutes ?? 0)) * 60_000 + (by.seconds ?? 0) * 1000;
  }
}

/** `req_0000000001`, `req_0000000002`, …: valid ids (`^[a-z]{2,4}_[0-9A-Za-z]{10,40}$`) in a predictable order. */
export class SequentialIds implements IdGenerator {
  private counter: number;
  constructor(start = 1) {
    this.counter = start - 1;
  }
  next(prefix: 'req' | 'tgt' | 'int'): string {
    this.counter++;
    return `${prefix}_${String(this.counter).padStart(10, '0')}`;
  }
}

/** Every log entry any fake store wrote, chained per tenant like the real log. */
/** Every metric a use case recorded, in order: the fact, its dimensions-to-be and the ids. */
export type RecordedMetric =
  | { metric: 'credentialsIssued'; value: Parameters<Metrics['credentialsIssued']>[0]; ids: MetricIds }
  | { metric: 'awsCallFailed'; value: Parameters<Metrics['awsCallFailed']>[0]; ids: MetricIds }
  | { metric: 'requestDecided'; value: Parameters<Metrics['requestDecided']>[0]; ids: MetricIds };

export class FakeMetrics implements Metrics {
  readonly recorded: RecordedMetric[] = [];
  credentialsIssued(value: Parameters<Metrics['credentialsIssued']>[0], ids: MetricIds): void {
    this.recorded.push({ metric: 'credentialsIssued', value, ids });
  }
  awsCallFailed(value: Parameters<Metrics['awsCallFailed']>[0], ids: MetricIds): void {
    this.recorded.push({ metric: 'awsCallFailed', value, ids });
  }
  requestDecided(value: Parameters<Metrics['requestDecided']>[0], ids: MetricIds): void {
    this.recorded.push({ metric: 'requestDecided', value, ids });
  }
}

export class InMemoryGrantLog {
  readonly events: LogEvent[] = [];

  /** Called by the stores inside their "transaction", after the condition held. */
  append(entries: LogEntry[]): void {
    // The same guard as LogWriter: a state change without an event, or one event across tenants, is a bug.
    const tenantId = entries[0]?.tenantId;
    if (!tenantId || entries.some((e) => e.tenantId !== tenantId)) throw new Error('A write logs one tenant at a time');
    for (const entry of entries) {
      const previous = this.forTenant(tenantId).at(-1);
      this.events.push(chainEvent(structuredClone(entry), (previous?.seq ?? 0) + 1, previous?.hash ?? genesisHash));
    }
  }
  forTenant(tenantId: string): LogEvent[] {
    return this.events.filter((e) => e.tenantId === tenantId);
  }
  forRequest(tenantId: string, requestId: string): LogEvent[] {
    return this.events.filter((e) => e.tenantId === tenantId && e.requestId === requestId);
  }
  actions(): string[] {
    return this.events.map((e) => e.action);
  }
}

const key = (...parts: string[]) => parts.join('\u0000');

function paginate<T>(items: T[], partition: string, page: PageRequest): Page<T> {
  let start = 0;
  if (page.cursor !== undefined) {
    let decoded: { p?: unknown; o?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as { p?: unknown; o?: unknown };
    } catch {
      throw new ValidationError('The cursor is not valid.');
    }
    // Like the real cursor: bound to the query it came from, so it cannot be replayed elsewhere.
    if (decoded?.p !== partition || typeof decoded.o !== 'number') throw new ValidationError('The cursor does not belong to this query.');
    start = decoded.o;
  }
  const end = start + page.limit;
  const nextCursor = end < items.length ? Buffer.from(JSON.stringify({ p: partition, o: end })).toString('base64url') : undefined;
  return { items: items.slice(start, end).map((i) => structuredClone(i)), ...(nextCursor ? { nextCursor } : {}) };
}

export class InMemoryRequestStore implements RequestStore {
  private readonly items = new Map<string, AccessRequest>();
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

export class InMemoryTargetStore implements TargetStore {
  private readonly items = new Map<string, Target>();
  constructor(readonly log = new InMemoryGrantLog()) {}

  seed(target: Target): void {
    this.items.set(key(target.tenantId, target.targetId), structuredClone(target));
  }

  async get(tenantId: string, targetId: string): Promise<Target | undefined> {
    const item = this.items.get(key(tenantId, targetId));
    return item && structuredClone(item);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Target>> {
    const items = [...this.items.values()].filter((t) => t.tenantId === tenantId).sort((a, b) => (a.targetId < b.targetId ? -1 : 1));
    return paginate(items, key('targets', tenantId), page);
  }

  async create(target: Target, entry: LogEntry): Promise<void> {
    const k = key(target.tenantId, target.targetId);
    if (this.items.has(k)) throw new AlreadyExistsError('A target with this id');
    this.log.append([entry]);
    this.items.set(k, structuredClone(target));
  }

  async save(target: Target, expectedVersion: number, entry: LogEntry): Promise<void> {
    const k = key(target.tenantId, target.targetId);
    const stored = this.items.get(k);
    if (!stored || stored.version !== expectedVersion) throw new ConcurrentModificationError('The target');
    this.log.append([entry]);
    this.items.set(k, structuredClone(target));
  }
}

export class InMemoryServiceStore implements ServiceStore {
  private readonly byTenant = new Map<string, ServicePrincipal>();
  private readonly byRole = new Map<string, ServicePrincipal>();
  constructor(readonly log = new InMemoryGrantLog()) {}

  async register(service: ServicePrincipal, entry: LogEntry): Promise<void> {
    const role = parseRoleArn(service.roleArn);
    const roleKey = key(role.accountId, role.name);
    // One IAM role belongs to one tenant, whichever tenant registers it first.
    if (this.byRole.has(roleKey) || this.byTenant.has(key(service.tenantId, service.roleArn))) {
      throw new AlreadyExistsError('A service principal for this IAM role');
    }
    this.log.append([entry]);
    this.byRole.set(roleKey, structuredClone(service));
    this.byTenant.set(key(service.tenantId, service.roleArn), structuredClone(service));
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<ServicePrincipal>> {
    const items = [...this.byTenant.values()].filter((s) => s.tenantId === tenantId).sort((a, b) => (a.roleArn < b.roleArn ? -1 : 1));
    return paginate(items, key('services', tenantId), page);
  }

  async findByRole(accountId: string, roleName: string): Promise<ServicePrincipal | undefined> {
    const item = this.byRole.get(key(accountId, roleName));
    return item && structuredClone(item);
  }
}

export type FakeDeps = Deps & {
  clock: FakeClock;
  metrics: FakeMetrics;
  log: InMemoryGrantLog;
  targets: InMemoryTargetStore;
  requests: InMemoryRequestStore;
  services: InMemoryServiceStore;
};

/** A full set of collaborators sharing one grant log. */
export function fakeDeps(start: Date | string = T0): FakeDeps {
  const log = new InMemoryGrantLog();
  return {
    clock: new FakeClock(start),
    ids: new SequentialIds(),
    log,
    targets: new InMemoryTargetStore(log),
    requests: new InMemoryRequestStore(log),
    services: new InMemoryServiceStore(log),
    metrics: new FakeMetrics(),
  };
}

// ---- Builders: valid things with the fewest words; override what the test is about.

export const TENANT = 'acme';
export const OTHER_TENANT = 'globex';
export const TARGET_ID = 'tgt_0000000901';

export function aUser(id: string, roles: Principal['roles'], overrides: Partial<Principal> = {}): Principal {
  return { id, kind: 'user', tenantId: TENANT, roles, groups: [], ...overrides };
}

export function aService(roleName: string, access: { targetId: string; databaseUsers: string[] }[], overrides: Partial<Principal> = {}): Principal {
  return {
    id: `arn:aws:iam::444455556666:role/${roleName}`,
    kind: 'service',
    tenantId: TENANT,
    roles: ['requester'],
    groups: [],
    scope: { access, autoApprove: false },
    ...overrides,
  };
}

/** Parsed by the real schema, so the defaults are the ones production applies. */
export function aPolicy(overrides: Partial<Policy> = {}): Policy {
  // The test builder's policy, through the schema so overrides are validated too.
  return policySchema.parse(policy(overrides));
}

export function aTarget(overrides: Partial<TargetInput> & { tenantId?: string; targetId?: string } = {}): Target {
  const { tenantId = TENANT, targetId = TARGET_ID, ...input } = overrides;
  const parsed = targetInputSchema.parse(targetInput({ policy: aPolicy(), ...input }));
  return { ...parsed, tenantId, targetId, createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'admin-1', version: 1 };
}

/** Asserts the status and narrows the union, so a test can read status-specific fields. */
export function inStatus<S extends AccessRequest['status']>(request: AccessRequest, status: S): Extract<AccessRequest, { status: S }> {
  if (request.status !== status) throw new Error(`expected a ${status} request, got ${request.status}`);
  return request as Extract<AccessRequest, { status: S }>;
}
