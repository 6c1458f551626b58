// Ports every feature shares: time, ids, paging and metrics. Each feature keeps its own stores in its ports.ts.

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(prefix: 'req' | 'tgt' | 'int'): string;
}

export type Page<T> = { items: T[]; nextCursor?: string };
export type PageRequest = { limit: number; cursor?: string };

/**
 * What the use cases count and time (EMF in AWS: shared/adapters/powertools/metrics.ts).
 * One method per fact, so a dimension can only be one of a few values: never a tenant,
 * request or principal id (each would be a metric of its own), never a secret. The ids
 * go in `ids`, which the adapter keeps as metadata (searchable in the log, no dimension).
 */
export interface Metrics {
  credentialsIssued(issuance: { engine: string; tunnel: boolean }, ids: MetricIds): void;
  /** STS or SSM refused or failed a call made for a grant; `errorCode` is AWS's code (AccessDenied, ThrottlingException, …). */
  awsCallFailed(failure: { service: 'sts' | 'ssm'; operation: string; errorCode: string }, ids: MetricIds): void;
  /** A pending request was settled by a person: the time from its creation to the decision. */
  requestDecided(decision: { outcome: 'approved' | 'denied'; latencyMs: number }, ids: MetricIds): void;
}

export type MetricIds = { tenantId: string; requestId: string };

/**
 * Runs `work` as one tenant: in AWS, every store call inside it uses credentials that IAM
 * limits to that tenant's keys (shared/adapters/dynamodb/tenant-data.ts). Without them (tests, in-memory
 * fakes) it simply runs `work`.
 */
export type TenantScope = <T>(tenantId: string, work: () => Promise<T>) => Promise<T>;
export const noTenantScope: TenantScope = (_tenantId, work) => work();
