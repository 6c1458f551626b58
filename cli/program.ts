import { Command, InvalidArgumentError, Option } from 'commander';
import type { AuditFilters } from './audit.ts';
import type { GlobalOptions } from './context.ts';
import { parseDuration, parseInstant } from './duration.ts';
import { CliError, ExitCode } from './errors.ts';
import { DEFAULT_SCOPE } from './login.ts';

// The command line, and nothing else: commander turns argv into one
// Invocation, which main.ts runs. Kept apart so tests can parse argv without
// running anything.

export type Invocation =
  | { command: 'login'; browser: boolean; port: number; scope: string }
  | { command: 'logout' }
  | { command: 'whoami' }
  | { command: 'targets' }
  | { command: 'request'; target: string; user: string; minutes: number; reason?: string; wait: boolean; timeoutMs?: number; breakGlass?: boolean }
  | { command: 'requests'; view: 'mine' | 'approvable' | 'tenant' | 'unreviewed'; status?: Status; limit: number }
  | { command: 'review'; requestId: string; outcome: 'acknowledged' | 'escalated'; note: string }
  | { command: 'show'; requestId: string }
  | { command: 'approve' | 'deny' | 'revoke'; requestId: string; note?: string }
  | { command: 'cancel'; requestId: string }
  | { command: 'extend'; requestId: string; minutes: number; reason?: string }
  | { command: 'connect'; target: string; user: string; tunnel: boolean; minutes?: number; reason?: string; database?: string; timeoutMs?: number; clientArgs: string[] }
  | { command: 'audit events'; filters: AuditFilters; limit: number }
  | { command: 'audit export'; filters: AuditFilters; format: 'csv' | 'ndjson'; out: string; pageSize: number }
  | { command: 'audit verify'; fromChain?: number; fromSeq?: number; limit?: number }
  | { command: 'audit summary'; from?: string; to?: string; target?: string };

export type Run = (invocation: Invocation, global: GlobalOptions) => Promise<void>;

/** A commander value parser from one of ours: our CliError becomes commander's usage error. */
const parser =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (error) {
      if (error instanceof CliError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };

const duration = parser(parseDuration);
const instant = parser((text) => parseInstant(text));
const wholeNumber = (min: number, max: number) =>
  parser((text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  });
const seconds = parser((text) => duration(text) * 60_000);

const STATUSES = ['pending', 'approved', 'denied', 'cancelled', 'expired', 'revoked', 'ended'] as const;
type Status = (typeof STATUSES)[number];

export const EXIT_CODES_HELP = `
Exit codes:
  0  done            1  failed              2  usage or invalid input (API 400)
  3  not signed in   4  not allowed (403)   5  not found (404)
  6  refused by state or policy (409, 422)  7  request denied, cancelled or expired
  8  timed out       9  API or IdP unreachable, or failing (5xx)
  10 grant log broken (audit verify)        130 interrupted
  connect: the database client's own exit code once it ran.`;

export function buildProgram(run: Run, output?: { writeOut(text: string): void; writeErr(text: string): void }): Command {
  const program = new Command('latchkey')
    .description('Temporary database access through Latchkey: request, approve, connect, audit.')
    .option('--api-url <url>', 'the Latchkey API (env LATCHKEY_API_URL; default: the last login, else the local stack)')
    .option('--token <jwt>', 'a bearer token for scripts; visible in ps: prefer env LATCHKEY_TOKEN')
    .option('--issuer <url>', 'the OIDC issuer for login (env LATCHKEY_ISSUER; default: the local stack\'s)')
    .option('--client-id <id>', 'the OIDC client id (env LATCHKEY_CLIENT_ID; default latchkey)')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'no colours (also: NO_COLOR, or output not a terminal)')
    .option('-v, --verbose', 'log each API call (method, path, status) to stderr')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(latchkey --help for usage)')
    .exitOverride();
  // Before any subcommand exists: commander copies these settings into each one as it is made.
  if (output) program.configureOutput(output);

  const go = (cmd: Command, invocation: Invocation) => run(invocation, cmd.optsWithGlobals<GlobalOptions>());

  program
    .command('login')
    .description('sign in with your identity provider (OIDC authorization code + PKCE, loopback redirect)')
    .option('--no-browser', 'only print the URL to open')
    .option('--port <n>', 'the loopback port for the redirect (default: any free port)', wholeNumber(0, 65535), 0)
    .option('--scope <scopes>', 'OIDC scopes', DEFAULT_SCOPE)
    .action((o: { browser: boolean; port: number; scope: string }, cmd: Command) => go(cmd, { command: 'login', browser: o.browser, port: o.port, scope: o.scope }));

  program.command('logout').description('forget the cached login for this API').action((_o, cmd: Command) => go(cmd, { command: 'logout' }));
  program.command('whoami').description('who the API says you are (GET /me)').action((_o, cmd: Command) => go(cmd, { command: 'whoami' }));
  program.command('targets').description('the databases you can see').action((_o, cmd: Command) => go(cmd, { command: 'targets' }));

  program
    .command('request <target>')
    .description('ask for access to a database user on a target (by name or id), and wait for the decision')
    .requiredOption('-u, --user <name>', 'the database user')
    .requiredOption('--for <duration>', 'how long, e.g. 1h, 30m, 1h30m', duration)
    .option('-r, --reason <text>', 'why (most policies require one)')
    .option('--no-wait', 'return once the request is made')
    .option('--timeout <duration>', 'stop waiting after this long (exit 8)', seconds)
    .option('--break-glass', "open the grant at once under the target's break-glass rule (reason required; reviewed afterwards)")
    .action((target: string, o: { user: string; for: number; reason?: string; wait: boolean; timeout?: number; breakGlass?: boolean }, cmd: Command) =>
      go(cmd, {
        command: 'request',
        target,
        user: o.user,
        minutes: o.for,
        wait: o.wait,
        ...(o.reason === undefined ? {} : { reason: o.reason }),
        ...(o.timeout === undefined ? {} : { timeoutMs: o.timeout }),
        ...(o.breakGlass ? { breakGlass: true } : {}),
      }),
    );

  program
    .command('requests')
    .description('list requests: yours (default), those waiting for your approval, or the tenant\'s')
    .addOption(new Option('--mine', 'your requests (default)').conflicts(['approvable', 'tenant', 'unreviewed']))
    .addOption(new Option('--approvable', 'requests you may decide').conflicts(['mine', 'tenant', 'unreviewed']))
    .addOption(new Option('--tenant', "every request of the tenant (admins, auditors)").conflicts(['mine', 'approvable', 'unreviewed']))
    .addOption(new Option('--unreviewed', 'break-glass grants awaiting review (auditors, admins; approvers: those they may review)').conflicts(['mine', 'approvable', 'tenant']))
    .addOption(new Option('--status <status>', 'only this status').choices([...STATUSES]))
    .option('--limit <n>', 'at most this many', wholeNumber(1, 10_000), 25)
    .action((o: { mine?: boolean; approvable?: boolean; tenant?: boolean; unreviewed?: boolean; status?: Status; limit: number }, cmd: Command) =>
      go(cmd, { command: 'requests', view: o.approvable ? 'approvable' : o.tenant ? 'tenant' : o.unreviewed ? 'unreviewed' : 'mine', limit: o.limit, ...(o.status ? { status: o.status } : {}) }),
    );

  program.command('show <id>').description('one request').action((requestId: string, _o, cmd: Command) => go(cmd, { command: 'show', requestId }));

  for (const [name, what] of [['approve', 'approve a request (or its pending extension)'], ['deny', 'deny a request (or its pending extension)'], ['revoke', 'end an approved grant now']] as const) {
    program
      .command(`${name} <id>`)
      .description(what)
      .option('-n, --note <text>', 'a note for the requester and the grant log')
      .action((requestId: string, o: { note?: string }, cmd: Command) => go(cmd, { command: name, requestId, ...(o.note === undefined ? {} : { note: o.note }) }));
  }
  program
    .command('review <id>')
    .description('review a break-glass grant afterwards (a named approver, not the one who opened it)')
    .addOption(new Option('--ack', 'acknowledged: the use was warranted').conflicts(['escalate']))
    .addOption(new Option('--escalate', 'escalated: it needs follow-up').conflicts(['ack']))
    .requiredOption('-n, --note <text>', 'what you found (kept in the grant log)')
    .action((requestId: string, o: { ack?: boolean; escalate?: boolean; note: string }, cmd: Command) => {
      if (!o.ack && !o.escalate) throw new CliError('say --ack or --escalate', ExitCode.usage);
      return go(cmd, { command: 'review', requestId, outcome: o.escalate ? 'escalated' : 'acknowledged', note: o.note });
    });
  program.command('cancel <id>').description('withdraw your pending request').action((requestId: string, _o, cmd: Command) => go(cmd, { command: 'cancel', requestId }));
  program
    .command('extend <id>')
    .description('ask the approvers for more time on your grant')
    .requiredOption('--for <duration>', 'how much more, e.g. 30m', duration)
    .option('-r, --reason <text>', 'why')
    .action((requestId: string, o: { for: number; reason?: string }, cmd: Command) => go(cmd, { command: 'extend', requestId, minutes: o.for, ...(o.reason === undefined ? {} : { reason: o.reason }) }));

  program
    .command('connect <target> [clientArgs...]')
    .description('get access (reusing your open grant, or requesting and waiting), then run psql / mysql with a fresh token')
    .requiredOption('-u, --user <name>', 'the database user')
    .option('--tunnel', 'through the target\'s bastion (SSM port forwarding)')
    .option('--for <duration>', 'if a request is needed: how long (default 1h, or the policy\'s maximum if shorter)', duration)
    .option('-r, --reason <text>', 'if a request is needed: why (asked for on a terminal when required)')
    .option('-d, --database <name>', 'the database to open (psql default: postgres)')
    .option('--timeout <duration>', 'stop waiting for approval after this long (exit 8)', seconds)
    .addHelpText('after', '\nArguments after -- go to the client: latchkey connect orders --user app_ro -- -c "select 1"')
    .action((target: string, clientArgs: string[], o: { user: string; tunnel?: boolean; for?: number; reason?: string; database?: string; timeout?: number }, cmd: Command) =>
      go(cmd, {
        command: 'connect',
        target,
        user: o.user,
        tunnel: o.tunnel === true,
        clientArgs,
        ...(o.for === undefined ? {} : { minutes: o.for }),
        ...(o.reason === undefined ? {} : { reason: o.reason }),
        ...(o.database === undefined ? {} : { database: o.database }),
        ...(o.timeout === undefined ? {} : { timeoutMs: o.timeout }),
      }),
    );

  const audit = program.command('audit').description('the grant log: events, export, verify, summary (auditors, admins)');
  const withFilters = (cmd: Command) =>
    cmd
      .option('--requester <id>', 'who asked')
      .option('--target <name|id>', 'which database')
      .option('--database-user <name>', 'which database user')
      .option('--actor <id>', 'who acted')
      .option('--action <action>', 'e.g. request.approved, credentials.issued')
      .option('--from <time>', 'ISO 8601, or a duration ago (24h, 7d)', instant)
      .option('--to <time>', 'ISO 8601, or a duration ago', instant)
      .addOption(new Option('--order <order>', 'newest or oldest first').choices(['newest', 'oldest']));
  const filtersOf = (o: Record<string, unknown>): AuditFilters => {
    const keys = ['requester', 'target', 'databaseUser', 'actor', 'action', 'from', 'to', 'order'] as const;
    return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as AuditFilters;
  };
  withFilters(audit.command('events').description('grant log events, filtered'))
    .option('--limit <n>', 'at most this many', wholeNumber(1, 100_000), 50)
    .action((o: Record<string, unknown> & { limit: number }, cmd: Command) => go(cmd, { command: 'audit events', filters: filtersOf(o), limit: o.limit }));
  withFilters(audit.command('export').description('every matching event to a file, page after page'))
    .addOption(new Option('--format <format>', 'csv or ndjson').choices(['csv', 'ndjson']).default('csv'))
    .requiredOption('-o, --out <file>', 'where to write (- for stdout; an existing file is not overwritten)')
    .option('--page-size <n>', 'events per API call', wholeNumber(1, 1000), 1000)
    .action((o: Record<string, unknown> & { format: 'csv' | 'ndjson'; out: string; pageSize: number }, cmd: Command) =>
      go(cmd, { command: 'audit export', filters: filtersOf(o), format: o.format, out: o.out, pageSize: o.pageSize }),
    );
  audit
    .command('verify')
    .description("walk the tenant's hash chain; exit 10 names the first broken link")
    .option('--from-chain <n>', 'start at this chain', wholeNumber(0, 1000))
    .option('--from-seq <n>', 'start at this sequence number', wholeNumber(1, 1e12))
    .option('--limit <n>', 'check at most this many events', wholeNumber(1, 100_000))
    .action((o: { fromChain?: number; fromSeq?: number; limit?: number }, cmd: Command) => go(cmd, { command: 'audit verify', ...o }));
  audit
    .command('summary')
    .description('grants open now, and who had access to what')
    .option('--from <time>', 'ISO 8601, or a duration ago (default: the API\'s)', instant)
    .option('--to <time>', 'ISO 8601, or a duration ago', instant)
    .option('--target <name|id>', 'one database')
    .action((o: { from?: string; to?: string; target?: string }, cmd: Command) => go(cmd, { command: 'audit summary', ...o }));

  return program;
}
