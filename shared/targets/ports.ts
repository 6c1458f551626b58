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
