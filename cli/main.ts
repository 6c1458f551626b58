import { CommanderError } from 'commander';
import { cancelCommand, decideCommand, extendCommand, requestCommand, requestsCommand, reviewCommand, showCommand, targetsCommand } from './requests.ts';
import { eventsCommand, exportCommand, summaryCommand, verifyCommand } from './audit.ts';
import { connectCommand } from './connect.ts';
import { createContext, type GlobalOptions } from './context.ts';
import { ApiError, CliError, ExitCode } from './errors.ts';
import { buildProgram, type Invocation } from './program.ts';
import { loginCommand, logoutCommand, whoamiCommand } from './session-commands.ts';

// `latchkey`: parse, run one command, and exit with a documented code. A
// failure is one plain line on stderr (the API's `error` and `message` as it
// sent them, `details` beneath), never a stack trace.

/** How often a waiting command asks the API (ms); LATCHKEY_POLL_INTERVAL_MS overrides it. */
const pollInterval = () => Math.max(200, Number(process.env.LATCHKEY_POLL_INTERVAL_MS) || 2000);

async function execute(invocation: Invocation, global: GlobalOptions): Promise<number> {
  const ctx = createContext(global);
  const intervalMs = pollInterval();
  switch (invocation.command) {
    case 'login':
      await loginCommand(ctx, invocation);
      return ExitCode.ok;
    case 'logout':
      logoutCommand(ctx);
      return ExitCode.ok;
    case 'whoami':
      await whoamiCommand(ctx);
      return ExitCode.ok;
    case 'targets':
      await targetsCommand(ctx);
      return ExitCode.ok;
    case 'request':
      await requestCommand(ctx, invocation.target, { ...invocation, intervalMs });
      return ExitCode.ok;
    case 'requests':
      await requestsCommand(ctx, invocation);
      return ExitCode.ok;
    case 'show':
      await showCommand(ctx, invocation.requestId);
      return ExitCode.ok;
    case 'approve':
    case 'deny':
    case 'revoke':
      await decideCommand(ctx, invocation.command, invocation.requestId, invocation.note);
      return ExitCode.ok;
    case 'review':
      await reviewCommand(ctx, invocation.requestId, invocation.outcome, invocation.note);
      return ExitCode.ok;
    case 'cancel':
      await cancelCommand(ctx, invocation.requestId);
      return ExitCode.ok;
    case 'extend':
      await extendCommand(ctx, invocation.requestId, invocation.minutes, invocation.reason);
      return ExitCode.ok;
    case 'connect':
      return connectCommand(ctx, invocation.target, { ...invocation, intervalMs });
    case 'audit events':
      await eventsCommand(ctx, invocation.filters, invocation.limit);
      return ExitCode.ok;
    case 'audit export':
      await exportCommand(ctx, invocation.filters, invocation);
      return ExitCode.ok;
    case 'audit verify':
      return verifyCommand(ctx, invocation);
    case 'audit summary':
      await summaryCommand(ctx, invocation);
      return ExitCode.ok;
  }
}

export function formatError(error: unknown): string {
  if (error instanceof ApiError) {
    const lines = [`latchkey: ${error.message} (${error.code}, HTTP ${error.status})`];
    if (error.details !== undefined) lines.push(...detailLines(error.details));
    if (error.hint) lines.push(`  ${error.hint}`);
    return lines.join('\n');
  }
  if (error instanceof CliError) return [`latchkey: ${error.message}`, ...(error.hint ? [`  ${error.hint}`] : [])].join('\n');
  return `latchkey: unexpected failure: ${(error as Error)?.message ?? String(error)}`;
}

/** The API's validation details: one indented line per field where it lists them. */
function detailLines(details: unknown): string[] {
  if (Array.isArray(details)) {
    return details.map((d) => {
      const item = d as { path?: unknown; message?: unknown };
      const path = Array.isArray(item.path) ? item.path.join('.') : typeof item.path === 'string' ? item.path : '';
      return `  ${path ? `${path}: ` : ''}${typeof item.message === 'string' ? item.message : JSON.stringify(d)}`;
    });
  }
  if (details !== null && typeof details === 'object') {
    return Object.entries(details as Record<string, unknown>).map(([key, value]) => `  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return [`  ${JSON.stringify(details)}`];
}

export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(async (invocation, global) => {
    code = await execute(invocation, global);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version are not failures; everything else commander refuses is a usage error.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? ExitCode.ok : ExitCode.usage;
    }
    process.stderr.write(`${formatError(error)}\n`);
    return error instanceof CliError ? error.exitCode : ExitCode.failure;
  }
}
