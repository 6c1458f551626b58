import type { LogEntry } from '../grant-log/index.ts';
import type { Page, PageRequest } from '../kernel/ports.ts';
import type { Target } from './target.ts';

export interface TargetStore {
  get(tenantId: string, targetId: string): Promise<Target | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<Target>>;
  /** Fails with AlreadyExistsError if the id is taken; the log entry is written in the same transaction. */
  create(target: Target, entry: LogEntry): Promise<void>;
  /** Conditional on `expectedVersion`; ConcurrentModificationError when someone else wrote first. */
  save(target: Target, expectedVersion: number, entry: LogEntry): Promise<void>;
}

/** What a change to a target must know of a grant on it. */
export type GrantOnTarget = { requestId: string; databaseUser: string; windowEnd: string };

/** The request store, as target changes see it: the approved requests on one target (the caller judges which are still open). */
export interface GrantsOnTarget {
  listApprovedOnTarget(tenantId: string, targetId: string): Promise<GrantOnTarget[]>;
}
