import type { AccessRequest, RequestStatus } from './domain/access-request.ts';
import type { Change } from './domain/transitions.ts';
import type { LogEntry } from './domain/grant-log.ts';
import type { ServicePrincipal, Target } from './domain/target.ts';

// Narrow ports the use cases depend on; adapters (DynamoDB, STS, SSM, signer) implement them.

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(prefix: 'req' | 'tgt' | 'int'): string;
}

export type Page<T> = { items: T[]; nextCursor?: string };
export type PageRequest = { limit: number; cursor?: string };

export interface TargetStore {
  get(tenantId: string, targetId: string): Promise<Target | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<Target>>;
  /** Fails with AlreadyExistsError if the id is taken; the log entry is written in the same transaction. */
  create(target: Target, entry: LogEntry): Promise<void>;
  /** Conditional on `expectedVersion`; ConcurrentModificationError when someone else wrote first. */
  save(target: Target, expectedVersion: number, entry: LogEntry): Promise<void>;
}

export interface ServiceStore {
  /** One IAM role belongs to at most one tenant; AlreadyExistsError otherwise. */
  register(service: ServicePrincipal, entry: LogEntry): Promise<void>;
  list(tenantId: string, page: PageRequest): Promise<Page<ServicePrincipal>>;
  /** Identity resolution: the only lookup that is not scoped by a tenant, because it finds the tenant. */
  findByRole(accountId: string, roleName: string): Promise<ServicePrincipal | undefined>;
}

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
  /** Requests whose deadline (decision or window end) is at or before `until`. */
  listDue(until: Date, lookbackDays: number): AsyncIterable<DueRequest>;
}
