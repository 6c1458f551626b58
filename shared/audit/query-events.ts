import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';
import type { LogEvent } from '../grant-log/index.ts';
import { canAudit, type LogFilter } from './filter.ts';
import { exportContentType, formatPage, type ExportFormat } from './export-format.ts';
import type { Principal } from '../kernel/principal.ts';
import type { Clock, Page, PageRequest } from '../kernel/ports.ts';
import type { RequestStore } from '../requests/index.ts';
import type { DigestStore, GrantLogReader } from './ports.ts';

/** What the auditor use cases need; separate from Deps so the request use cases' fakes need not grow. */
export type AuditDeps = { clock: Clock; log: GrantLogReader; requests: Pick<RequestStore, 'listByStatus'>; digests?: Pick<DigestStore, 'list'> };

function mustAudit(principal: Principal): void {
  if (!canAudit(principal)) throw new ForbiddenError('Only auditors and admins can read the grant log.');
}

const pageOf = (input: { limit: number; cursor?: string }): PageRequest => ({ limit: input.limit, ...(input.cursor !== undefined ? { cursor: input.cursor } : {}) });

/**
 * List grant-log events:
 * 1. auditors and admins only, and only ever in the caller's own tenant;
 * 2. the filter picks the index (see log-query-plan.ts) — every page is a Query;
 * 3. the cursor only pages the same tenant and the same filter.
 */
export async function listEvents(deps: Pick<AuditDeps, 'log'>, principal: Principal, input: { filter: LogFilter; limit: number; cursor?: string }): Promise<Page<LogEvent>> {
  mustAudit(principal);
  return deps.log.list(principal.tenantId, input.filter, pageOf(input));
}

/** Every event of one request in seq order. A request with no events does not exist for the caller. */
export async function requestTimeline(deps: Pick<AuditDeps, 'log'>, principal: Principal, input: { requestId: string; limit: number; cursor?: string }): Promise<Page<LogEvent>> {
  mustAudit(principal);
  const page = await deps.log.timeline(principal.tenantId, input.requestId, pageOf(input));
  if (input.cursor === undefined && page.items.length === 0) throw new NotFoundError('The request');
  return page;
}

export type ExportPage = { text: string; contentType: string; count: number; nextCursor?: string };

/**
 * A JSON Lines export of the whole log (no filter but time) is verifiable offline
 * (grant-log/verify-export.ts): after the events it carries the `log.checkpoint` events
 * (which no listing shows, yet they sit in the chains) and then the signed digests of its
 * time range, oldest first. The cursor says which part comes next: `c.` checkpoints, `d.` digests.
 */
const isWholeLog = (filter: LogFilter) =>
  filter.requesterId === undefined && filter.targetId === undefined && filter.databaseUser === undefined && filter.actorId === undefined && filter.action === undefined;
type ExportPart = 'events' | 'checkpoints' | 'digests';
const partPrefix: Record<Exclude<ExportPart, 'events'>, string> = { checkpoints: 'c.', digests: 'd.' };

function partOf(cursor: string | undefined): { part: ExportPart; cursor?: string } {
  for (const part of ['checkpoints', 'digests'] as const) {
    if (cursor?.startsWith(partPrefix[part])) {
      const rest = cursor.slice(partPrefix[part].length);
      return { part, ...(rest ? { cursor: rest } : {}) };
    }
  }
  return { part: 'events', ...(cursor !== undefined ? { cursor } : {}) };
}

/**
 * One page of an export, as text. The HTTP export is paged so neither the Lambda
 * nor the API's response limit holds a whole log: the client follows
 * `nextCursor` and appends pages (the CSV header comes with the first only).
 */
export async function exportEventsPage(
  deps: Pick<AuditDeps, 'log' | 'digests'>,
  principal: Principal,
  input: { filter: LogFilter; format: ExportFormat; limit: number; cursor?: string },
): Promise<ExportPage> {
  mustAudit(principal);
  const verifiable = input.format === 'ndjson' && isWholeLog(input.filter) && deps.digests !== undefined;
  const { part, cursor } = verifiable ? partOf(input.cursor) : { part: 'events' as const, ...(input.cursor !== undefined ? { cursor: input.cursor } : {}) };
  const contentType = exportContentType[input.format];
  if (part === 'digests') {
    const page = await deps.digests!.list(principal.tenantId, { ...(input.filter.from ? { from: input.filter.from } : {}), ...(input.filter.to ? { to: input.filter.to } : {}) }, pageOf({ limit: input.limit, ...(cursor !== undefined ? { cursor } : {}) }));
    return {
      text: page.items.map((d) => `${JSON.stringify(d)}\n`).join(''),
      contentType,
      count: page.items.length,
      ...(page.nextCursor ? { nextCursor: `${partPrefix.digests}${page.nextCursor}` } : {}),
    };
  }
  const filter = part === 'checkpoints' ? { ...input.filter, action: 'log.checkpoint' as const } : input.filter;
  const page = await deps.log.list(principal.tenantId, filter, pageOf({ limit: input.limit, ...(cursor !== undefined ? { cursor } : {}) }));
  const next = page.nextCursor
    ? `${part === 'checkpoints' ? partPrefix.checkpoints : ''}${page.nextCursor}`
    : verifiable
      ? part === 'events'
        ? partPrefix.checkpoints
        : partPrefix.digests
      : undefined;
  return {
    text: formatPage(page.items, input.format, input.cursor === undefined),
    contentType,
    count: page.items.length,
    ...(next ? { nextCursor: next } : {}),
  };
}
