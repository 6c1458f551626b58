import { chainOf } from '#shared/grant-log/chains';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import { LogAction, type LogEntry, type LogEvent } from '#shared/grant-log/events';
import type { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import type { Principal } from '#shared/kernel/principal';
import type { Page } from '#shared/kernel/ports';
import { user } from './builders.ts';

// Grant-log test helpers: entries to write through the real LogWriter, a
// recorder that proves no Scan is ever sent, and a page walker.

export const auditor = (tenantId: string): Principal => user(tenantId, 'audrey', ['auditor']);

export function logEntry(tenantId: string, overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    tenantId,
    at: '2026-11-24T09:00:00.000Z',
    action: LogAction.requestCreated,
    actorId: 'alice',
    actorKind: 'user',
    outcome: 'success',
    requestId: 'req_01JTESTREQUEST0001',
    targetId: 'tgt_01JTESTTARGET0001',
    databaseUser: 'app_ro',
    requesterId: 'alice',
    ...overrides,
  };
}

/** Writes entries through the real LogWriter (no state items), a few per transaction, in order. */
/** Writes entries in order, consecutive entries of one chain up to `perTransaction` at a time (a write is one chain's). */
export async function writeEntries(log: LogWriter, entries: LogEntry[], perTransaction = 25): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  let batch: LogEntry[] = [];
  const flush = async () => {
    if (batch.length) events.push(...(await log.write([], batch, () => new ConcurrentModificationError('The grant log'))));
    batch = [];
  };
  for (const entry of entries) {
    if (batch.length === perTransaction || (batch[0] && chainOf(batch[0]) !== chainOf(entry))) await flush();
    batch.push(entry);
  }
  await flush();
  return events;
}

export type SentCommand = { name: string; index?: string };

/**
 * Records every command sent through a DocumentClient and refuses a Scan at
 * runtime, so an auditor code path that scans fails the test that took it
 * even if the static check in tests/unit/grant-log/no-scan.test.ts missed it.
 */
export function recordCommands(db: DynamoDBDocumentClient): SentCommand[] {
  const sent: SentCommand[] = [];
  const send = db.send.bind(db) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  (db as unknown as { send: typeof send }).send = (command, ...rest) => {
    const name = (command as object).constructor.name;
    const input = (command as { input?: { IndexName?: string } }).input;
    sent.push({ name, ...(input?.IndexName ? { index: input.IndexName } : {}) });
    if (/^Scan/.test(name)) return Promise.reject(new Error(`A ${name} was sent: no Scan may serve a user request`));
    return send(command, ...rest);
  };
  return sent;
}

/** Follows cursors to the end, returning every item and how many pages it took. */
export async function allPages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    pages += 1;
    cursor = page.nextCursor;
    if (pages > 10_000) throw new Error('paging did not end');
  } while (cursor);
  return { items, pages };
}
