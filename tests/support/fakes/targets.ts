import { AlreadyExistsError, ConcurrentModificationError } from '#shared/kernel/errors';
import type { LogEntry } from '#shared/grant-log/events';
import type { Target } from '#shared/targets/target';
import type { Page, PageRequest } from '#shared/kernel/ports';
import type { TargetStore } from '#shared/targets/ports';
import { InMemoryGrantLog } from './grant-log.ts';
import { key, paginate } from './paging.ts';

// Keeps DynamoTargetStore's promises (tests/contract/target-store.contract.ts).

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
