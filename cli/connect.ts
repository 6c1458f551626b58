import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AccessRequest, Target } from './api.ts';
import { caBundle } from './ca-bundle.ts';
import type { Context } from './context.ts';
import { planClient } from './database-client.ts';
import { formatMinutes, formatRemaining } from './duration.ts';
import { CliError, ExitCode } from './errors.ts';
import { allPages, askReason, resolveTarget, time, waitForDecision } from './requests.ts';
import { createPassfile, type Passfile, type PassfileEntry } from './passfile.ts';
import { freeLocalPort, pluginBinary, startTunnel, type RunningTunnel } from './tunnel.ts';

// `latchkey connect <target> --user U [--tunnel] [-- client args]`: from
// nothing to a database prompt. Reuses the caller's open grant for that target
// and user (or a pending request, waiting for it), else asks for one and waits;
// mints credentials (a fresh token every time); opens the tunnel if asked and
// waits until it answers; runs psql / mysql / mariadb with the token in its
// environment (psql: a password file that connect rewrites with a fresh token
// before the last one expires, so psql's `\c` and reconnects keep working);
// closes the tunnel when the client exits, and exits with the client's code.

export interface ConnectOptions {
  user: string;
  tunnel: boolean;
  minutes?: number;
  reason?: string;
  database?: string;
  timeoutMs?: number;
  intervalMs: number;
  clientArgs: string[];
}

/** An open grant must outlive the start of the connection by at least this much to be reused. */
const REUSE_MARGIN_MS = 60_000;
const DEFAULT_MINUTES = 60;

export async function connectCommand(ctx: Context, targetName: string, options: ConnectOptions): Promise<number> {
  const say = (line: string) => ctx.out.note(line);
  const target = await resolveTarget(ctx, targetName);
  if (!target.databaseUsers.includes(options.user)) {
    throw new CliError(`${target.name} has no database user "${options.user}"`, ExitCode.usage, `its users: ${target.databaseUsers.join(', ')}`);
  }
  if (options.tunnel && !target.bastionInstanceId) throw new CliError(`${target.name} has no bastion: connect without --tunnel`, ExitCode.usage);

  const grant = await openGrant(ctx, target, options);
  say(`Grant ${grant.requestId}: ${options.user} on ${target.name}, open until ${time(grant.windowEnd)} (${formatRemaining(grant.windowEnd ?? '')} left)`);

  const localPortNumber = options.tunnel ? await freeLocalPort() : undefined;
  const credentials = await ctx.api.credentials(grant.requestId, localPortNumber === undefined ? {} : { ssm: { localPortNumber } });
  say(`Token minted for ${credentials.database.user}, usable until ${time(credentials.database.expiresAt)}`);
  const ca = await caBundle({ ...(ctx.local?.caBundle ? { localCa: ctx.local.caBundle } : {}), url: credentials.database.caBundleUrl, env: ctx.env, say });

  let tunnel: RunningTunnel | undefined;
  if (options.tunnel) {
    if (!credentials.ssm) throw new CliError('the API started no SSM session for the tunnel', ExitCode.failure);
    const line = ctx.out.status(`Opening the tunnel through ${target.bastionInstanceId}…`);
    try {
      tunnel = await startTunnel({ binary: pluginBinary(ctx.local !== undefined, ctx.env), target, session: credentials.ssm, env: ctx.env });
    } catch (error) {
      line.fail('The tunnel did not open');
      throw error;
    }
    line.done(`Tunnel open: 127.0.0.1:${tunnel.localPort} → ${target.endpoint}:${target.port} (session ${credentials.ssm.sessionId})`);
  }

  // libpq matches the password file's line to the `host` parameter (the endpoint's name, even with
  // hostaddr) and to the port it dials (the tunnel's, through one).
  const entry: PassfileEntry = {
    host: credentials.database.host,
    port: tunnel ? tunnel.localPort : credentials.database.port,
    user: credentials.database.user,
    token: credentials.database.token,
  };
  let passfile: Passfile | undefined;
  let refresher: Refresher | undefined;
  const removePassfile = () => passfile?.remove();
  process.on('exit', removePassfile);
  try {
    if (target.engine === 'postgres') {
      passfile = createPassfile(entry);
      refresher = refreshTokens(ctx, grant.requestId, passfile, entry, credentials.issuedAt, credentials.database.expiresAt);
    }
    const plan = planClient({
      engine: target.engine,
      host: entry.host,
      port: entry.port,
      ...(tunnel ? { hostaddr: '127.0.0.1' } : {}),
      user: entry.user,
      ...(options.database ? { database: options.database } : {}),
      caBundle: ca,
      secret: passfile ? { passfile: passfile.path } : { token: entry.token },
      extraArgs: options.clientArgs,
      ...(credentials.database.sessionTag ? { sessionTag: credentials.database.sessionTag } : {}),
      baseEnv: ctx.env,
      ...(ctx.local?.clientEnv ? { addEnv: ctx.local.clientEnv } : {}),
    });
    say(`Starting ${plan.command} as ${credentials.database.user}@${credentials.database.host}`);
    return await runClient(plan);
  } finally {
    refresher?.stop();
    removePassfile();
    process.off('exit', removePassfile);
    await tunnel?.close();
  }
}

interface Refresher {
  stop(): void;
}

/**
 * While psql runs, mints a fresh token (no SSM session: the tunnel stays as it is) at two thirds of the
 * last one's life — or every LATCHKEY_REFRESH_SECONDS, a knob for tests — and puts it in the password
 * file. When minting fails (the grant ended, was revoked, the API is unreachable) it says so once and
 * stops: the connection open stays open, and the next reconnect is refused by the database.
 */
function refreshTokens(ctx: Context, requestId: string, passfile: Passfile, entry: PassfileEntry, issuedAt: string, firstExpiresAt: string): Refresher {
  const fixed = ctx.env.LATCHKEY_REFRESH_SECONDS === undefined ? undefined : Number(ctx.env.LATCHKEY_REFRESH_SECONDS);
  if (fixed !== undefined && !(fixed > 0)) throw new CliError('LATCHKEY_REFRESH_SECONDS must be a positive number of seconds', ExitCode.usage);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let expiresAt = firstExpiresAt;
  const schedule = (from: string, until: string) => {
    const life = Date.parse(until) - Date.parse(from);
    const delayMs = fixed !== undefined ? fixed * 1000 : Math.max(1000, Math.min((life * 2) / 3, Date.parse(until) - Date.now() - 30_000));
    timer = setTimeout(refresh, Math.min(delayMs, 2 ** 31 - 1));
    timer.unref();
  };
  const refresh = async () => {
    try {
      const fresh = await ctx.api.credentials(requestId, {});
      if (stopped) return;
      passfile.write({ ...entry, token: fresh.database.token });
      if (ctx.verbose) ctx.out.note(`Token refreshed, usable until ${time(fresh.database.expiresAt)}`);
      expiresAt = fresh.database.expiresAt;
      schedule(fresh.issuedAt, expiresAt);
    } catch (error) {
      if (stopped) return;
      const why = error instanceof Error ? error.message : String(error);
      ctx.out.note(`latchkey: stopped refreshing the token (${why}); reconnecting after ${time(expiresAt)} will be refused`);
    }
  };
  schedule(issuedAt, expiresAt);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The caller's open grant for this target and user, a pending request to wait for, or a new request. */
async function openGrant(ctx: Context, target: Target, options: ConnectOptions): Promise<AccessRequest> {
  const mine = async (status: 'approved' | 'pending') =>
    (await allPages((q) => ctx.api.requests(q), { view: 'mine' as const, status })).items.filter((r) => r.targetId === target.targetId && r.databaseUser === options.user);
  const now = Date.now();
  const open = (await mine('approved'))
    .filter((r) => r.windowEnd && Date.parse(r.windowEnd) - now > REUSE_MARGIN_MS)
    .sort((a, b) => Date.parse(b.windowEnd!) - Date.parse(a.windowEnd!));
  if (open[0]) return open[0];
  const pending = (await mine('pending'))[0];
  if (pending) {
    ctx.out.note(`Your request ${pending.requestId} for ${options.user} on ${target.name} is still pending`);
    return waitForDecision(ctx, pending, target, options);
  }
  const max = target.policy?.maxDurationMinutes;
  const minutes = options.minutes ?? (max !== undefined ? Math.min(DEFAULT_MINUTES, max) : DEFAULT_MINUTES);
  const reason = options.reason ?? (await askReason(target));
  const created = await ctx.api.createRequest({ targetId: target.targetId, databaseUser: options.user, durationMinutes: minutes, ...(reason ? { reason } : {}) });
  ctx.out.note(`Requested ${created.requestId}: ${options.user} on ${target.name} for ${formatMinutes(minutes)}`);
  if (created.status === 'approved') return created;
  return waitForDecision(ctx, created, target, options);
}

/**
 * Runs the client on this terminal. Ctrl-C belongs to the client (psql cancels
 * its query): the CLI ignores SIGINT meanwhile, and passes SIGTERM and SIGHUP on.
 */
async function runClient(plan: ReturnType<typeof planClient>): Promise<number> {
  const child = spawn(plan.command, plan.args, { env: plan.env, stdio: 'inherit' });
  const ignore = () => undefined;
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onTerm = forward('SIGTERM');
  const onHup = forward('SIGHUP');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  try {
    const [code, signal] = (await Promise.race([
      once(child, 'exit'),
      once(child, 'error').then(([error]) => {
        const e = error as NodeJS.ErrnoException;
        throw new CliError(e.code === 'ENOENT' ? `${plan.command} is not installed (or not on PATH)` : `cannot run ${plan.command}: ${e.message}`, ExitCode.failure);
      }),
    ])) as [number | null, NodeJS.Signals | null];
    if (code !== null) return code;
    return 128 + (signal ? (signalNumbers[signal] ?? 1) : 1);
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
  }
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
