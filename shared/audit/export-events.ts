import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { LogFilter } from './filter.ts';
import type { ExportFormat } from './export-format.ts';
import type { Principal } from '../kernel/principal.ts';
import { exportEventsPage, type AuditDeps } from './query-events.ts';

export type ExportResult = { events: number; pages: number };

/**
 * Export every event of a filter to a stream (a file, stdout, an S3 upload):
 * the same pages the HTTP export serves, written one at a time and waiting for
 * the stream to drain, so memory holds one page however long the log is. With
 * `deps.digests`, a JSON Lines export of the whole log ends with its checkpoints and
 * signed digests, as the HTTP export does (exportEventsPage).
 */
export async function exportEvents(
  deps: Pick<AuditDeps, 'log' | 'digests'>,
  principal: Principal,
  input: { filter: LogFilter; format: ExportFormat; pageSize?: number },
  out: Writable,
): Promise<ExportResult> {
  const limit = input.pageSize ?? 1000;
  let cursor: string | undefined;
  let events = 0;
  let pages = 0;
  do {
    const page = await exportEventsPage(deps, principal, { filter: input.filter, format: input.format, limit, ...(cursor !== undefined ? { cursor } : {}) });
    pages += 1;
    events += page.count;
    if (page.text && !out.write(page.text)) await once(out, 'drain');
    cursor = page.nextCursor;
  } while (cursor);
  return { events, pages };
}
