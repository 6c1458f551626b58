import { isCancel, text } from '@clack/prompts';
import type { AccessRequest, Page, PageQuery, RequestsQuery, Target } from './api.ts';
import type { Context } from './context.ts';
import { formatMinutes, formatRemaining } from './duration.ts';
import { CliError, ExitCode } from './errors.ts';
import { fields, statusColor, table } from './output.ts';

// targets, request, requests, show, approve, deny, cancel, revoke, extend.

export const time = (iso: string | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '');

/** Every page of a list, up to `max` items. */
export async function allPages<T, Q extends object>(fetchPage: (query: Q & PageQuery) => Promise<Page<T>>, query: Q, max = Infinity): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(100, max - items.length);
    const page = await fetchPage({ ...query, limit, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items, more: cursor !== undefined };
}

export async function listTargets(ctx: Context): Promise<Target[]> {
  return (await allPages((q) => ctx.api.targets(q), {})).items;
}

/** A target by id or by name (names are how people know them). */
export async function resolveTarget(ctx: Context, given: string): Promise<Target> {
  const targets = await listTargets(ctx);
  const byId = targets.find((t) => t.targetId === given);
  if (byId) return byId;
  const byName = targets.filter((t) => t.name === given);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new CliError(`"${given}" names ${byName.length} targets: use its id (${byName.map((t) => t.targetId).join(', ')})`, ExitCode.usage);
  const names = targets.map((t) => t.name).slice(0, 10).join(', ');
  throw new CliError(`no target "${given}" in your tenant`, ExitCode.notFound, names ? `targets you can see: ${names}` : 'you can see no targets');
}

export async function targetsCommand(ctx: Context): Promise<void> {
  const targets = await listTargets(ctx);
  if (ctx.out.json) return ctx.out.data(targets);
  if (targets.length === 0) return ctx.out.print('No targets.');
  ctx.out.print(
    table(
      ['NAME', 'ENGINE', 'ENDPOINT', 'USERS', 'TUNNEL', 'MAX', 'ID'],
      targets.map((t) => [
        ctx.out.colors.bold(t.name),
        t.engine,
        `${t.endpoint}:${t.port}`,
        t.databaseUsers.join(','),
        t.bastionInstanceId ? 'yes' : '-',
        t.policy?.maxDurationMinutes ? formatMinutes(t.policy.maxDurationMinutes) : '-',
        t.targetId,
      ]),
      ctx.out.colors,
    ),
  );
}

const approvalsLine = (request: AccessRequest, target?: Target) => {
  const have = request.approvals?.length ?? 0;
  const need = target?.policy?.approvalsRequired ?? 1;
  return `${have} of ${need} approval${need === 1 ? '' : 's'}`;
};

export function describeRequest(ctx: Context, r: AccessRequest, target?: Target): string {
  const c = ctx.out.colors;
  return fields(
    [
      ['request', c.bold(r.requestId)],
      ['status', statusColor(r.status, c)],
      ['target', target ? `${target.name} (${r.targetId})` : r.targetId],
      ['database user', r.databaseUser],
      ['requester', r.requesterId],
      ['duration', formatMinutes(r.durationMinutes)],
      ['break-glass', r.breakGlass ? breakGlassLine(r) : undefined],
      ['reason', r.reason],
      ['ticket', r.ticket],
      ['created', time(r.createdAt)],
      ['approvals', r.status === 'pending' ? approvalsLine(r, target) : undefined],
      ['decide by', r.status === 'pending' ? time(r.decideBy) : undefined],
      ['approved by', r.approvals && r.approvals.length > 0 && r.status !== 'pending' ? r.approvals.map((a) => a.approverId + (a.note ? ` ("${a.note}")` : '')).join(', ') : undefined],
      ['window', r.windowStart && r.windowEnd ? `${time(r.windowStart)} → ${time(r.windowEnd)}${r.status === 'approved' ? ` (${formatRemaining(r.windowEnd)} left)` : ''}` : undefined],
      ['extension', r.pendingExtension ? `+${formatMinutes(r.pendingExtension.minutes)} pending${r.pendingExtension.reason ? ` ("${r.pendingExtension.reason}")` : ''}` : undefined],
      ['denied by', r.deniedBy],
      ['revoked by', r.revokedBy],
      ['note', r.note],
    ],
    c,
  );
}

const breakGlassLine = (r: AccessRequest) => {
  const review = r.breakGlass?.review;
  return `opened ${time(r.breakGlass?.openedAt)}; ${review ? `${review.outcome} by ${review.reviewerId} ("${review.note}")` : 'NOT REVIEWED YET'}`;
};

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs: number;
}

/** Polls until the request is decided; a live line says where it stands. Only `approved` returns. */
export async function waitForDecision(ctx: Context, request: AccessRequest, target: Target | undefined, options: WaitOptions): Promise<AccessRequest> {
  const started = Date.now();
  const line = ctx.out.status(waitingText(request, target));
  let current = request;
  let interrupted = false;
  const onInterrupt = () => (interrupted = true);
  process.once('SIGINT', onInterrupt);
  try {
    while (current.status === 'pending') {
      if (options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs) {
        line.fail(`Still pending after ${Math.round(options.timeoutMs / 1000)} s: ${current.requestId}`);
        throw new CliError(`${current.requestId} is still pending`, ExitCode.timedOut, `it stays open: latchkey show ${current.requestId}, or latchkey cancel ${current.requestId}`);
      }
      await sleepUnless(options.intervalMs, () => interrupted);
      if (interrupted) {
        line.fail(`Stopped waiting for ${current.requestId}`);
        throw new CliError(`stopped waiting; ${current.requestId} stays pending`, ExitCode.interrupted, `latchkey show ${current.requestId}, or latchkey cancel ${current.requestId}`);
      }
      current = await ctx.api.request(current.requestId);
      line.update(waitingText(current, target));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (current.status !== 'approved') {
    line.fail(`${current.requestId} was ${current.status}`);
    const by = current.deniedBy ? ` by ${current.deniedBy}` : '';
    throw new CliError(`${current.requestId} was ${current.status}${by}${current.note ? `: ${current.note}` : ''}`, ExitCode.notApproved);
  }
  const approvers = (current.approvals ?? []).map((a) => a.approverId).join(', ');
  line.done(`Approved${approvers ? ` by ${approvers}` : ''}: open until ${time(current.windowEnd)} (${formatRemaining(current.windowEnd ?? '')})`);
  return current;
}

function waitingText(r: AccessRequest, target?: Target): string {
  const decideBy = r.decideBy ? `, ${formatRemaining(r.decideBy)} left to decide` : '';
  return `Waiting for approval of ${r.requestId} (${approvalsLine(r, target)}${decideBy})`;
}

async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && !stop()) await new Promise((resolve) => setTimeout(resolve, Math.min(100, end - Date.now())));
}

/**
 * The reason a policy requires, when none was given: asked for on a terminal;
 * elsewhere nothing is asked, and the API's refusal names what is missing.
 */
export async function askReason(target: Target, required = false): Promise<string | undefined> {
  if ((!required && target.policy?.reasonRequired === false && !target.policy?.ticketPattern) || process.stdin.isTTY !== true || process.stderr.isTTY !== true) return undefined;
  const answer = await text({ message: `Why do you need access to ${target.name}?`, output: process.stderr, validate: (v) => (v && v.trim() !== '' ? undefined : 'a reason is required') });
  if (isCancel(answer)) throw new CliError('cancelled', ExitCode.interrupted);
  return answer.trim();
}

export interface RequestOptions {
  user: string;
  minutes: number;
  reason?: string;
  wait: boolean;
  timeoutMs?: number;
  intervalMs: number;
  breakGlass?: boolean;
}

export async function requestCommand(ctx: Context, targetName: string, options: RequestOptions): Promise<AccessRequest> {
  const target = await resolveTarget(ctx, targetName);
  const reason = options.reason ?? (await askReason(target, options.breakGlass === true));
  const created = await ctx.api.createRequest({
    targetId: target.targetId,
    databaseUser: options.user,
    durationMinutes: options.minutes,
    ...(reason === undefined ? {} : { reason }),
    ...(options.breakGlass ? { breakGlass: true } : {}),
  });
  if (created.breakGlass) ctx.out.note(ctx.out.colors.red('BREAK-GLASS: every approver and security are told, and an approver reviews this grant afterwards.'));
  if (created.status === 'approved' || !options.wait) {
    if (ctx.out.json) ctx.out.data(created);
    else ctx.out.print(`${ctx.out.colors.bold(created.requestId)}: ${options.user} on ${target.name} for ${formatMinutes(options.minutes)} — ${statusColor(created.status, ctx.out.colors)}`);
    return created;
  }
  ctx.out.note(`Requested ${created.requestId}: ${options.user} on ${target.name} for ${formatMinutes(options.minutes)}`);
  const decided = await waitForDecision(ctx, created, target, options);
  if (ctx.out.json) ctx.out.data(decided);
  else ctx.out.print(`${ctx.out.colors.bold(decided.requestId)}: approved until ${time(decided.windowEnd)}`);
  return decided;
}

export async function requestsCommand(ctx: Context, options: { view: NonNullable<RequestsQuery['view']>; status?: RequestsQuery['status']; limit: number }): Promise<void> {
  const query: RequestsQuery = { view: options.view, ...(options.status ? { status: options.status } : {}) };
  const { items, more } = await allPages((q) => ctx.api.requests(q), query, options.limit);
  if (ctx.out.json) return ctx.out.data(items);
  if (items.length === 0) return ctx.out.print(options.view === 'approvable' ? 'Nothing waiting for you.' : options.view === 'unreviewed' ? 'No break-glass grant awaits review.' : 'No requests.');
  const names = new Map((await listTargets(ctx)).map((t) => [t.targetId, t.name]));
  ctx.out.print(
    table(
      ['ID', 'STATUS', 'TARGET', 'USER', 'REQUESTER', 'FOR', 'WHEN', 'REASON'],
      items.map((r) => [
        r.requestId,
        statusColor(r.status, ctx.out.colors) + (r.breakGlass ? ctx.out.colors.red(r.breakGlass.review ? ' BREAK-GLASS' : ' BREAK-GLASS, UNREVIEWED') : ''),
        names.get(r.targetId) ?? r.targetId,
        r.databaseUser,
        r.requesterId,
        formatMinutes(r.durationMinutes),
        r.status === 'approved' && r.windowEnd ? `until ${time(r.windowEnd)}` : time(r.createdAt),
        (r.reason ?? '').replace(/\s+/g, ' ').slice(0, 40),
      ]),
      ctx.out.colors,
    ),
  );
  if (more) ctx.out.note(ctx.out.colors.dim(`(more: --limit ${options.limit * 2})`));
}

export async function showCommand(ctx: Context, requestId: string): Promise<void> {
  const request = await ctx.api.request(requestId);
  if (ctx.out.json) return ctx.out.data(request);
  const target = await ctx.api.target(request.targetId).catch(() => undefined);
  ctx.out.print(describeRequest(ctx, request, target));
}

type Decide = 'approve' | 'deny' | 'revoke';

export async function decideCommand(ctx: Context, action: Decide, requestId: string, note?: string): Promise<void> {
  const body = note === undefined ? {} : { note };
  const result = action === 'approve' ? await ctx.api.approve(requestId, body) : action === 'deny' ? await ctx.api.deny(requestId, body) : await ctx.api.revoke(requestId, body);
  report(ctx, result);
}

export async function reviewCommand(ctx: Context, requestId: string, outcome: 'acknowledged' | 'escalated', note: string): Promise<void> {
  const r = await ctx.api.review(requestId, { outcome, note });
  if (ctx.out.json) return ctx.out.data(r);
  ctx.out.print(`${ctx.out.colors.bold(r.requestId)}: break-glass ${outcome} by ${r.breakGlass?.review?.reviewerId ?? 'you'}`);
}

export async function cancelCommand(ctx: Context, requestId: string): Promise<void> {
  report(ctx, await ctx.api.cancel(requestId));
}

export async function extendCommand(ctx: Context, requestId: string, minutes: number, reason?: string): Promise<void> {
  report(ctx, await ctx.api.extend(requestId, { minutes, ...(reason === undefined ? {} : { reason }) }));
}

function report(ctx: Context, r: AccessRequest): void {
  if (ctx.out.json) return ctx.out.data(r);
  const extra =
    r.status === 'approved' && r.pendingExtension
      ? ` (extension of ${formatMinutes(r.pendingExtension.minutes)} waiting for approval)`
      : r.status === 'approved' && r.windowEnd
        ? ` (open until ${time(r.windowEnd)})`
        : r.status === 'pending'
          ? ` (${r.approvals?.length ?? 0} approval${(r.approvals?.length ?? 0) === 1 ? '' : 's'} so far)`
          : '';
  ctx.out.print(`${ctx.out.colors.bold(r.requestId)}: ${statusColor(r.status, ctx.out.colors)}${extra}`);
}
