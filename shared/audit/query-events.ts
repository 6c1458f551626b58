import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';
import type { LogEvent } from '../grant-log/index.ts';
import { canAudit, type LogFilter } from './filter.ts';
import { exportContentType, formatPage, type ExportFormat } from './export-format.ts';
import type { Principal } from '../kernel/principal.ts';
import type { Clock, Page, PageRequest } from '../kernel/ports.ts';
import type { RequestStore } from '../requests/index.ts';
import type { GrantLogReader } from './ports.ts';

/** What the auditor use cases need; separate from Deps so the request use cases' fakes need not grow. */
export type AuditDeps = { clock: Clock; log: GrantLogReader; requests: Pick<RequestStore, 'listByStatus'> };

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
 * One page of an export, as text. The HTTP export is paged so neither the Lambda
 * nor the API's response limit holds a whole log: the client follows
 * `nextCursor` and appends pages (the CSV header comes with the first only).
 */
export async function exportEventsPage(
  deps: Pick<AuditDeps, 'log'>,
  principal: Principal,
  input: { filter: LogFilter; format: ExportFormat; limit: number; cursor?: string },
): Promise<ExportPage> {
  const page = await listEvents(deps, principal, input);
  return {
    text: formatPage(page.items, input.format, input.cursor === undefined),
    contentType: exportContentType[input.format],
    count: page.items.length,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
