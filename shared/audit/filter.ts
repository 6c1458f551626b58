import { createHash } from 'node:crypto';
import { canAdminister, hasRole, type Principal } from '../kernel/principal.ts';
import { chainOf, type LogAction, type LogEvent } from '../grant-log/index.ts';
import { canonicalJson } from '../kernel/canonical-json.ts';

/**
 * What an auditor can ask of the grant log. Every field narrows; none widens.
 * `from` is inclusive and `to` exclusive, both ISO instants, so consecutive
 * ranges never count an event twice.
 */
export type LogFilter = {
  requesterId?: string;
  targetId?: string;
  databaseUser?: string;
  actorId?: string;
  action?: LogAction;
  from?: string;
  to?: string;
  order: 'newest' | 'oldest';
};

/** Auditors read the log; admins may too. Both only ever within their own tenant (the caller's tenantId is the only one used). */
export function canAudit(principal: Principal): boolean {
  return canAdminister(principal) || hasRole(principal, 'auditor');
}

/** One spelling per filter: instants in toISOString form, absent fields dropped, so equal filters hash equally. */
export function normalizeFilter(filter: LogFilter): LogFilter {
  const out: LogFilter = { order: filter.order };
  if (filter.requesterId !== undefined) out.requesterId = filter.requesterId;
  if (filter.targetId !== undefined) out.targetId = filter.targetId;
  if (filter.databaseUser !== undefined) out.databaseUser = filter.databaseUser;
  if (filter.actorId !== undefined) out.actorId = filter.actorId;
  if (filter.action !== undefined) out.action = filter.action;
  if (filter.from !== undefined) out.from = new Date(filter.from).toISOString();
  if (filter.to !== undefined) out.to = new Date(filter.to).toISOString();
  return out;
}

/**
 * The binding a page cursor carries: a digest of the tenant and the normalized
 * filter. A cursor minted for one tenant or one filter does not decode for
 * another. Not a MAC — it stops accidental and cross-scope replay; forging a
 * start position inside one's own tenant and filter gains nothing.
 */
export function filterBinding(tenantId: string, scope: string, filter: object): string {
  return createHash('sha256').update(canonicalJson({ tenantId, scope, filter })).digest('base64url').slice(0, 22);
}

/** The in-memory meaning of a filter, for fakes and tests: what the DynamoDB query must return. */
export function matchesFilter(event: LogEvent, filter: LogFilter): boolean {
  const f = normalizeFilter(filter);
  return (
    // The log's own checkpoints are listed only by their action, over a time range or not (keys.ts: no other index holds them).
    (event.action !== 'log.checkpoint' || (f.action === 'log.checkpoint' && [f.requesterId, f.targetId, f.databaseUser, f.actorId].every((v) => v === undefined))) &&
    (f.requesterId === undefined || event.requesterId === f.requesterId) &&
    (f.targetId === undefined || event.targetId === f.targetId) &&
    (f.databaseUser === undefined || event.databaseUser === f.databaseUser) &&
    (f.actorId === undefined || event.actorId === f.actorId) &&
    (f.action === undefined || event.action === f.action) &&
    (f.from === undefined || event.at >= f.from) &&
    (f.to === undefined || event.at < f.to)
  );
}

/** The order an auditor sees: by time, then by chain and seq (the tie-break the index sort key ATSEQ uses). */
export function compareEvents(a: LogEvent, b: LogEvent): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : chainOf(a) - chainOf(b) || a.seq - b.seq;
}
