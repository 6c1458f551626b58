import type { LogEntry, LogEvent } from '#shared/grant-log/events';

// What a contract suite needs from each implementation: the store under test
// and a way to read back the tenant's grant log, so "writes nothing" is checked
// on the log too. Every case uses fresh tenants, so the DynamoDB run can share
// one DynamoDB Local with every other test.

export type Harness<S> = { store: S; events(tenantId: string): Promise<LogEvent[]> };

let counter = 0;
export function contractTenant(): string {
  counter += 1;
  return `ct-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const actionsOf = async (h: Harness<unknown>, tenantId: string) => (await h.events(tenantId)).map((e) => e.action);

export const adminEntry = (tenantId: string, action: LogEntry['action'], at = '2026-11-24T09:00:00.000Z'): LogEntry => ({
  tenantId,
  at,
  action,
  actorId: 'admin',
  actorKind: 'user',
  outcome: 'success',
});

/** Walks every page with `limit`, failing on a cursor loop; returns the items in order. */
export async function allPages<T>(list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (++pages > 100) throw new Error('paging did not end');
  } while (cursor !== undefined);
  return { items, pages };
}
