import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { verifyExport } from '../shared/grant-log/index.ts';
import { once } from 'node:events';
import type { EventsQuery } from './api.ts';
import type { Context } from './context.ts';
import { CliError, ExitCode } from './errors.ts';
import { allPages, listTargets, resolveTarget, time } from './requests.ts';
import { fields, table, type Output } from './output.ts';

// audit events | export | verify | summary: the grant log for auditors, with
// the API's filters (requester, target, database user, actor, action, time
// range, order). Export streams every page to a file with a live count.

export interface AuditFilters {
  requester?: string;
  target?: string;
  databaseUser?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  order?: 'newest' | 'oldest';
}

type Filters = Omit<EventsQuery, 'limit' | 'cursor'>;

async function filterQuery(ctx: Context, f: AuditFilters): Promise<Filters> {
  // The API filters by target id; people know targets by name.
  const target = f.target === undefined ? undefined : (await resolveTarget(ctx, f.target)).targetId;
  const query = { requester: f.requester, target, databaseUser: f.databaseUser, actor: f.actor, action: f.action, from: f.from, to: f.to, order: f.order };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Filters;
}

export async function eventsCommand(ctx: Context, filters: AuditFilters, limit: number): Promise<void> {
  const { items, more } = await allPages((q) => ctx.api.events(q), await filterQuery(ctx, filters), limit);
  if (ctx.out.json) return ctx.out.data(items);
  if (items.length === 0) return ctx.out.print('No events.');
  ctx.out.print(
    table(
      ['AT', 'ACTION', 'OUTCOME', 'ACTOR', 'REQUEST', 'REQUESTER', 'USER'],
      items.map((e) => [time(e.at), e.action, e.outcome === 'success' ? e.outcome : ctx.out.colors.red(e.outcome), e.actorId, e.requestId ?? '', e.requesterId ?? '', e.databaseUser ?? '']),
      ctx.out.colors,
    ),
  );
  if (more) ctx.out.note(ctx.out.colors.dim(`(more: --limit ${limit * 2}, or audit export for all of them)`));
}

export async function exportCommand(ctx: Context, filters: AuditFilters, options: { format: 'csv' | 'ndjson'; out: string; pageSize: number }): Promise<void> {
  const query = await filterQuery(ctx, filters);
  const toStdout = options.out === '-';
  let sink: NodeJS.WritableStream = process.stdout;
  if (!toStdout) {
    // Opened before the first page: an existing file is never overwritten, and a bad path fails at once.
    const file = await open(options.out, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${options.out}: ${error.code === 'EEXIST' ? 'it exists (not overwritten)' : error.message}`, error.code === 'EEXIST' ? ExitCode.usage : ExitCode.failure);
    });
    sink = file.createWriteStream();
  }
  const line = ctx.out.status(`Exporting the grant log as ${options.format}…`);
  let lines = 0;
  let pages = 0;
  let cursor: string | undefined;
  try {
    do {
      const page = await ctx.api.exportPage({ ...query, format: options.format, limit: options.pageSize, ...(cursor ? { cursor } : {}) });
      // The API puts the CSV header on the first page only (docs/grant-log.md): pages append as they come.
      const text = page.text;
      if (!sink.write(text)) await once(sink, 'drain');
      lines += countEvents(text, options.format === 'csv' && pages === 0);
      pages += 1;
      cursor = page.nextCursor;
      line.update(`Exported ${lines} event${lines === 1 ? '' : 's'} (${pages} page${pages === 1 ? '' : 's'})…`);
    } while (cursor);
  } catch (error) {
    line.fail(`Export stopped after ${lines} events`);
    throw error;
  } finally {
    if (!toStdout) {
      sink.end();
      await once(sink, 'finish').catch(() => undefined);
    }
  }
  line.done(`Exported ${lines} event${lines === 1 ? '' : 's'}${toStdout ? '' : ` to ${options.out}`}`);
}

export async function verifyCommand(ctx: Context, options: { fromChain?: number; fromSeq?: number; limit?: number }): Promise<number> {
  const report = await ctx.api.verify({ fromChain: options.fromChain, fromSeq: options.fromSeq, limit: options.limit });
  if (ctx.out.json) ctx.out.data(report);
  else {
    const c = ctx.out.colors;
    ctx.out.print(
      fields(
        [
          ['result', report.ok ? c.green('intact') : c.red('BROKEN')],
          ['checked', `${report.checked} events in ${report.chains} chains`],
          ['complete', report.complete ? 'yes' : `no — continue with --from-chain ${report.next?.chain} --from-seq ${report.next?.seq}`],
          ['checkpoint', report.checkpoint ? time(report.checkpoint.at) : undefined],
          ['first broken link', report.brokenLink ? JSON.stringify(report.brokenLink) : undefined],
        ],
        c,
      ),
    );
  }
  return report.ok ? ExitCode.ok : ExitCode.logBroken;
}

/**
 * `latchkey audit verify --file export.ndjson [--public-key key.pem]`: the export checked offline
 * (shared/grant-log/verify-export.ts) — every event re-hashed and linked along its chain, the lines'
 * order, and each signed digest against the public key and the events it covers. Reads two files;
 * calls nothing.
 */
export async function verifyFileCommand(out: Output, options: { file: string; publicKey?: string }): Promise<number> {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, ExitCode.usage);
    }
  };
  const text = read(options.file, 'export');
  let key: KeyObject | undefined;
  if (options.publicKey !== undefined) {
    try {
      key = createPublicKey(read(options.publicKey, 'public key'));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${options.publicKey} is not a PEM public key`, ExitCode.usage, 'save publicKeyPem from GET /audit/public-key');
    }
  }
  const report = verifyExport(text, key);
  if (out.json) out.data(report);
  else {
    const c = out.colors;
    out.print(
      fields(
        [
          ['result', report.ok ? c.green('intact') : c.red('BROKEN')],
          ['tenant', report.tenantId],
          ['checked', `${report.events} events in ${report.chains} chains, ${report.digests} signed digest${report.digests === 1 ? '' : 's'}`],
          ['signatures', report.signaturesChecked ? 'checked with the given public key' : c.yellow('NOT checked: pass --public-key (GET /audit/public-key)')],
          ['signed through', report.signedThrough ? time(report.signedThrough) : c.yellow('no digest in the export')],
          ['unsigned events', report.unsignedEvents > 0 ? `${report.unsignedEvents} after the newest digest (chained, not yet signed)` : undefined],
          ['first broken link', report.finding ? report.finding.message : undefined],
        ],
        c,
      ),
    );
  }
  return report.ok ? ExitCode.ok : ExitCode.logBroken;
}

export async function summaryCommand(ctx: Context, options: { from?: string; to?: string; target?: string }): Promise<void> {
  const target = options.target === undefined ? undefined : (await resolveTarget(ctx, options.target)).targetId;
  const summary = await ctx.api.summary({ from: options.from, to: options.to, target });
  if (ctx.out.json) return ctx.out.data(summary);
  const c = ctx.out.colors;
  const names = new Map((await listTargets(ctx)).map((t) => [t.targetId, t.name]));
  const name = (targetId: string) => names.get(targetId) ?? targetId;
  ctx.out.print(c.bold(`Open grants at ${time(summary.at)}: ${summary.activeGrants.length}`));
  if (summary.activeGrants.length > 0) {
    ctx.out.print(table(['REQUEST', 'REQUESTER', 'TARGET', 'USER', 'UNTIL'], summary.activeGrants.map((g) => [g.requestId, g.requesterId, name(g.targetId), g.databaseUser, time(g.windowEnd)]), c));
  }
  ctx.out.print('');
  ctx.out.print(c.bold(`Access from ${time(summary.range.from)} to ${time(summary.range.to)}`));
  const rows = summary.history.flatMap((t) => t.requesters.map((r) => [name(t.targetId), t.databaseUser, r.requesterId, String(r.grants), String(r.issuances), time(r.lastAt)]));
  ctx.out.print(rows.length > 0 ? table(['TARGET', 'USER', 'REQUESTER', 'GRANTS', 'ISSUANCES', 'LAST'], rows, c) : 'None.');
  if (summary.truncated) ctx.out.note(c.yellow('The summary hit a cap and is a lower bound: use `latchkey audit export` for everything.'));
}

/**
 * Events in one export page: CSV records (a quoted field may hold a newline, so
 * count record ends outside quotes), or JSON lines. The first CSV page's header is not one.
 */
export function countEvents(text: string, withHeader: boolean): number {
  let records = 0;
  let quoted = false;
  let inRecord = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (c === '\n' && !quoted) {
      if (inRecord) records += 1;
      inRecord = false;
    } else if (c !== '\r') inRecord = true;
  }
  if (inRecord) records += 1;
  return Math.max(0, records - (withHeader ? 1 : 0));
}
