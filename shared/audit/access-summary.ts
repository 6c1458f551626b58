import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { isOpenGrant } from '../requests/index.ts';
import { LogAction } from '../grant-log/index.ts';
import { canAudit, type LogFilter } from './filter.ts';
import type { Principal } from '../kernel/principal.ts';
import type { AuditDeps } from './query-events.ts';

export type ActiveGrant = { requestId: string; requesterId: string; targetId: string; databaseUser: string; windowStart: string; windowEnd: string };
export type RequesterAccess = { requesterId: string; grants: number; issuances: number; lastAt: string };
export type TargetAccess = { targetId: string; databaseUser: string; requesters: RequesterAccess[] };
export type AccessSummary = {
  at: string;
  activeGrants: ActiveGrant[];
  range: { from: string; to: string };
  history: TargetAccess[];
  /** True when a cap below stopped a read: the summary is a lower bound, use the export for the full list. */
  truncated: boolean;
};

const maxActive = 1_000;
const maxEventsPerAction = 10_000;
const defaultDays = 30;
/** Granting access (a new window or a longer one) and using it. */
const grantActions = [LogAction.requestApproved, LogAction.breakGlassOpened, LogAction.extensionApproved] as const;

/**
 * Who has or had access to what:
 * 1. now: approved requests whose window is still open (main table, status index);
 * 2. over [from, to): per target and database user, the distinct requesters who
 *    were granted access or had credentials issued — Queries on the log's action
 *    index, never a scan — with counts and the last time.
 */
export async function accessSummary(deps: AuditDeps, principal: Principal, input: { from?: string; to?: string; targetId?: string }): Promise<AccessSummary> {
  if (!canAudit(principal)) throw new ForbiddenError('Only auditors and admins can read the grant log.');
  const now = deps.clock.now();
  const to = input.to ?? now.toISOString();
  const from = input.from ?? new Date(Date.parse(to) - defaultDays * 86_400_000).toISOString();
  if (Date.parse(from) >= Date.parse(to)) throw new ValidationError('`from` must be before `to`.');
  let truncated = false;

  const activeGrants: ActiveGrant[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.requests.listByStatus(principal.tenantId, 'approved', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) {
      if (!isOpenGrant(r, now) || (input.targetId && r.targetId !== input.targetId)) continue;
      activeGrants.push({ requestId: r.requestId, requesterId: r.requesterId, targetId: r.targetId, databaseUser: r.databaseUser, windowStart: r.windowStart, windowEnd: r.windowEnd });
    }
    cursor = page.nextCursor;
    if (cursor && activeGrants.length >= maxActive) truncated = true;
  } while (cursor && !truncated);

  const byKey = new Map<string, { target: TargetAccess; requesters: Map<string, RequesterAccess> }>();
  const count = async (action: LogAction, field: 'grants' | 'issuances') => {
    const filter: LogFilter = { action, from, to, order: 'oldest', ...(input.targetId ? { targetId: input.targetId } : {}) };
    let seen = 0;
    let next: string | undefined;
    do {
      const page = await deps.log.list(principal.tenantId, filter, { limit: 500, ...(next ? { cursor: next } : {}) });
      for (const e of page.items) {
        if (!e.targetId || !e.databaseUser || !e.requesterId) continue;
        const key = `${e.targetId}\u0000${e.databaseUser}`;
        const group = byKey.get(key) ?? { target: { targetId: e.targetId, databaseUser: e.databaseUser, requesters: [] }, requesters: new Map() };
        byKey.set(key, group);
        const who = group.requesters.get(e.requesterId) ?? { requesterId: e.requesterId, grants: 0, issuances: 0, lastAt: e.at };
        group.requesters.set(e.requesterId, who);
        who[field] += 1;
        if (e.at > who.lastAt) who.lastAt = e.at;
      }
      seen += page.items.length;
      next = page.nextCursor;
    } while (next && seen < maxEventsPerAction);
    if (next) truncated = true;
  };
  for (const action of grantActions) await count(action, 'grants');
  await count(LogAction.credentialsIssued, 'issuances');

  const history = [...byKey.values()]
    .map(({ target, requesters }) => ({ ...target, requesters: [...requesters.values()].sort((a, b) => a.requesterId.localeCompare(b.requesterId)) }))
    .sort((a, b) => a.targetId.localeCompare(b.targetId) || a.databaseUser.localeCompare(b.databaseUser));
  return { at: now.toISOString(), activeGrants, range: { from, to }, history, truncated };
}
