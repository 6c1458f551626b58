import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { ExitCode } from '../../cli/errors.ts';
import { api, type ApiClient } from '../support/api.ts';
import { allCommandLines, cachedSession, cliJson, forgetPeople, login, passfilePassword, person, processesWith, runCli, startCli, Terminal, type Person } from '../support/cli.ts';
import { control, installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';
import { canConnect } from '../support/tunnel-process.ts';

// From nothing to a psql prompt with the CLI, as people use it: alice asks with
// `latchkey connect`, bob approves with `latchkey approve`, and alice lands in a
// real psql session on the local PostgreSQL (which judges the IAM token as RDS
// does) — directly, and through the bastion's tunnel. Interactive steps run in a
// tmux pseudo-terminal. While psql runs, every process's command line is read:
// the database token must not be in any of them, nor in anything the CLI printed.
// The steps build on each other (one grant revoked, the next requested anew),
// so they run in order.

const REGION = inject('region');
const tenant = `cli-connect-${Date.now().toString(36)}`;
const BASTION = 'i-0c11c11c11c11c110';
const pg = inject('postgres');
const TARGET = 'orders-local';

let admin: ApiClient;
let alice: Person;
let bob: Person;
let ada: Person;
const terminals: Terminal[] = [];

afterAll(() => {
  for (const t of terminals) t.close();
  forgetPeople();
});

/**
 * The admin links the local servers' account (the stack registered each server in the stand-in as one RDS
 * instance there, dev/start.ts) and registers a local database with a bastion; the customer installs the
 * setup as emitted, again for each database added, and its DBA runs the emitted SQL.
 */
async function onboard(engine: 'postgres' | 'mariadb', name: string): Promise<string> {
  const server = inject(engine);
  const { account, resourceId } = server;
  await control('instances', { instanceId: BASTION, account, region: REGION });
  const existing = (await admin.get('/integrations')).body.items.find((i: { accountId: string }) => i.accountId === account);
  const integrationId: string = existing?.integrationId ?? (await admin.post('/integrations', { accountId: account, name: 'cli-connect' })).body.integrationId;
  const created = await admin.post('/targets', {
    name, engine, endpoint: server.host, port: server.port, region: REGION, accountId: account, resourceId, integrationId,
    bastionInstanceId: BASTION, databaseUsers: ['app_ro', 'app_rw'], policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120 },
  });
  expect(created.status).toBe(201);
  const setup = await admin.get(`/integrations/${integrationId}/setup`);
  await installAndVerify(admin, { integration: { accountId: account, integrationId }, setup: setup.body }, `CliConnect${tenant}`);
  await createDatabaseUser(server, setup.body.databases.find((d: { targetId: string }) => d.targetId === created.body.targetId).statements);
  return created.body.targetId;
}

/** Bob, with the CLI, finds alice's pending request in his queue and approves it. */
async function bobApprovesTheNextRequest(except: string[] = []): Promise<string> {
  let id: string | undefined;
  await expect
    .poll(async () => {
      const waiting = (await cliJson(bob, ['requests', '--approvable', '--status', 'pending'])) as Array<{ requestId: string; requesterId: string }>;
      id = waiting.find((r) => r.requesterId === 'alice' && !except.includes(r.requestId))?.requestId;
      return id;
    }, { timeout: 30_000, interval: 300 })
    .toBeDefined();
  const approved = await runCli(bob, ['approve', id!, '--note', 'go ahead']);
  expect(approved.code, approved.stderr).toBe(0);
  expect(approved.stdout).toMatch(new RegExp(`${id}: approved \\(open until `));
  return id!;
}

/** What psql's environment and argv hold while it runs, the token in its password file, and every command line on the machine. */
function whilePsqlRuns(port: number) {
  const psql = processesWith(`port=${port} `).filter((p) => p.argv[0]?.endsWith('/psql'));
  expect(psql).toHaveLength(1);
  expect(psql[0]!.env.PGPASSWORD).toBeUndefined();
  const passfile = psql[0]!.env.PGPASSFILE!;
  expect(statSync(passfile).mode & 0o077, 'the password file is private').toBe(0);
  return { psql: psql[0]!, passfile, dbToken: passfilePassword(passfile), commandLines: allCommandLines() };
}

function expectNoSecretIn(texts: string[], secrets: string[]): void {
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(20);
    for (const text of texts) expect(text.includes(secret), `a secret appeared in: ${text.slice(0, 200)}`).toBe(false);
  }
}

async function psqlSession(terminal: Terminal): Promise<void> {
  await expect.poll(() => terminal.screen(), { timeout: 60_000, interval: 250 }).toMatch(/postgres=> $/m);
  terminal.type('select current_user;');
  await expect.poll(() => terminal.screen(), { timeout: 20_000, interval: 250 }).toMatch(/current_user\s*\n-+\s*\n app_ro\s*\n\(1 row\)/);
}

describe('latchkey connect, from a request to a psql prompt', () => {
  let targetId: string;
  let firstGrant: string;

  beforeAll(async () => {
    admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
    targetId = await onboard('postgres', TARGET);
    alice = person('alice');
    bob = person('bob');
    ada = person('ada');
    await login(alice, { user: 'alice', tenant, roles: ['requester'] });
    await login(bob, { user: 'bob', tenant, roles: ['approver'], groups: ['dba'] });
    await login(ada, { user: 'ada', tenant, roles: ['auditor'] });
  });

  it('lists the target by name for the requester', async () => {
    const run = await runCli(alice, ['targets']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^NAME\\s+ENGINE\\s+ENDPOINT.*\\n${TARGET}\\s+postgres\\s+${pg.host.replace(/\./g, '\\.')}:${pg.port}\\s+app_ro,app_rw\\s+yes\\s+2h\\s+${targetId}$`, 'm'));
  });

  it('requests, waits with a live status line, bob approves with the CLI, and psql answers as app_ro — the token in no argv and no output', async () => {
    const terminal = new Terminal('direct');
    terminals.push(terminal);
    terminal.start(alice, ['--verbose', 'connect', TARGET, '--user', 'app_ro', '--for', '30m', '--reason', 'INC-4711 from the CLI']);
    await expect.poll(() => terminal.screen(), { timeout: 30_000, interval: 250 }).toMatch(/Waiting for approval of req_\w+ \(0 of 1 approval/);
    firstGrant = await bobApprovesTheNextRequest();
    await psqlSession(terminal);

    const port = pg.port;
    const { psql, passfile, dbToken, commandLines } = whilePsqlRuns(port);
    expect(dbToken).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    expect(psql.env.LATCHKEY_TOKEN).toBeUndefined();
    // Debian's psql is a wrapper that execs the versioned binary: the argv is the CLI's, unchanged.
    expect(psql.argv.slice(1)).toEqual([`host=${pg.host} port=${port} dbname=postgres user=app_ro sslmode=verify-full sslrootcert=${inject('caBundle')}`]);

    terminal.type('\\q');
    expect(await terminal.exit()).toEqual({ status: 0 });
    expect(existsSync(dirname(passfile)), 'the password file\'s directory is gone').toBe(false);
    const screen = terminal.screen();
    expect(screen).toContain(`Grant ${firstGrant}: app_ro on ${TARGET}`);
    expect(screen).toMatch(/POST \/requests\/req_\w+\/credentials → 201/);
    expectNoSecretIn([...commandLines, screen], [dbToken, cachedSession(alice).accessToken]);
  });

  it('reuses the open grant, runs the client with the arguments after --, and exits with its code', async () => {
    const ok = await runCli(alice, ['connect', TARGET, '--user', 'app_ro', '--', '-X', '-A', '-t', '-c', 'select current_user']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('app_ro');
    expect(ok.stderr).toContain(`Grant ${firstGrant}:`);
    expect(ok.stderr).not.toContain('Requested');
    // psql exits 3 when a script stops on an error: a code the CLI itself never uses.
    const script = join(alice.home, 'broken.sql');
    writeFileSync(script, 'select * from no_such_table;\n');
    const failing = await runCli(alice, ['connect', TARGET, '--user', 'app_ro', '--', '-X', '-v', 'ON_ERROR_STOP=1', '-f', script]);
    expect(failing.stderr).toContain('relation "no_such_table" does not exist');
    expect(failing.code).toBe(3);
  });

  it('after the grant is revoked, connect --tunnel asks anew, and psql answers through the bastion, Ctrl-C leaves the tunnel alone; the tunnel closes with psql', async () => {
    const revoked = await runCli(bob, ['revoke', firstGrant, '--note', 'done with the direct one']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`${firstGrant}: revoked`);

    const terminal = new Terminal('tunnel');
    terminals.push(terminal);
    // No --reason: on a terminal the CLI asks for the one the policy requires.
    terminal.start(alice, ['connect', TARGET, '--user', 'app_ro', '--tunnel']);
    await expect.poll(() => terminal.screen(), { timeout: 30_000, interval: 250 }).toContain(`Why do you need access to ${TARGET}?`);
    terminal.type('INC-4712 through the bastion');
    const second = await bobApprovesTheNextRequest([firstGrant]);
    expect(second).not.toBe(firstGrant);
    expect((await cliJson(alice, ['show', second])).reason).toBe('INC-4712 through the bastion');
    await psqlSession(terminal);
    const screen = terminal.screen();
    expect(screen).toContain(`Grant ${second}: app_ro on ${TARGET}`);
    const localPort = Number(/Tunnel open: 127\.0\.0\.1:(\d+) → /.exec(screen)?.[1]);
    expect(localPort).toBeGreaterThan(0);

    const { psql, dbToken, commandLines } = whilePsqlRuns(localPort);
    // libpq matches the line to the host parameter (the endpoint's name) and the port it dials: the tunnel's.
    expect(readFileSync(psql.env.PGPASSFILE!, 'utf8')).toMatch(new RegExp(`^${pg.host.replace(/\./g, '\\.')}:${localPort}:\\*:app_ro:`));
    expect(psql.argv[1]).toBe(`host=${pg.host} hostaddr=127.0.0.1 port=${localPort} dbname=postgres user=app_ro sslmode=verify-full sslrootcert=${inject('caBundle')}`);
    const plugin = processesWith('StartSession').find((p) => p.env.AWS_SSM_START_SESSION_RESPONSE);
    expect(plugin, 'the session-manager-plugin runs').toBeDefined();
    const ssmToken = JSON.parse(plugin!.env.AWS_SSM_START_SESSION_RESPONSE!).TokenValue as string;
    expectNoSecretIn(commandLines, [dbToken, ssmToken]);

    // Ctrl-C belongs to the client: psql takes it, the tunnel (in its own process group) stays open.
    terminal.key('C-c');
    terminal.type("select 'still ' || current_user as after_interrupt;");
    await expect.poll(() => terminal.screen(), { timeout: 15_000, interval: 250 }).toContain('still app_ro');
    expect(await canConnect(localPort)).toBe(true);

    terminal.type('\\q');
    expect(await terminal.exit()).toEqual({ status: 0 });
    expectNoSecretIn([terminal.screen()], [dbToken, ssmToken]);
    expect(await canConnect(localPort)).toBe(false);
    await expect.poll(() => existsSync(`/proc/${plugin!.pid}`)).toBe(false);
  });

  it('request --no-wait, cancel, and a denied request ends a waiting request with exit 7', async () => {
    // Not on a terminal, nothing is asked: the policy's refusal comes back as the API said it.
    const noReason = await runCli(alice, ['request', TARGET, '--user', 'app_rw', '--for', '15m']);
    expect(noReason.code).toBe(ExitCode.refused);
    expect(noReason.stderr).toMatch(/^latchkey: The target requires a reason\. \(\w+, HTTP 422\)$/m);
    const asked = await cliJson(alice, ['request', TARGET, '--user', 'app_rw', '--for', '15m', '--reason', 'try', '--no-wait']);
    expect(asked).toMatchObject({ status: 'pending', databaseUser: 'app_rw' });
    const cancelled = await runCli(alice, ['cancel', asked.requestId]);
    expect(cancelled.stdout).toContain(`${asked.requestId}: cancelled`);

    const waiting = startCli(alice, ['request', TARGET, '--user', 'app_rw', '--for', '15m', '--reason', 'again']);
    await expect.poll(() => waiting.stderr(), { timeout: 30_000 }).toMatch(/Waiting for approval of (req_\w+)/);
    const id = /Waiting for approval of (req_\w+)/.exec(waiting.stderr())![1]!;
    expect((await runCli(bob, ['deny', id, '--note', 'use app_ro'])).code).toBe(0);
    const run = await waiting.done;
    expect(run.code).toBe(ExitCode.notApproved);
    expect(run.stderr).toContain(`latchkey: ${id} was denied by bob: use app_ro`);

    // Ctrl-C while waiting, on a terminal: the CLI stops waiting, says so, and the request stays pending.
    const terminal = new Terminal('interrupt');
    terminals.push(terminal);
    terminal.start(alice, ['request', TARGET, '--user', 'app_rw', '--for', '15m', '--reason', 'and again']);
    await expect.poll(() => terminal.screen(), { timeout: 30_000, interval: 250 }).toMatch(/Waiting for approval of req_\w+/);
    const pendingId = /Waiting for approval of (req_\w+)/.exec(terminal.screen())![1]!;
    terminal.key('C-c');
    expect(await terminal.exit()).toEqual({ status: ExitCode.interrupted });
    expect(terminal.screen()).toContain(`latchkey: stopped waiting; ${pendingId} stays pending`);
    expect((await cliJson(alice, ['show', pendingId])).status).toBe('pending');
    expect((await runCli(alice, ['cancel', pendingId])).code).toBe(0);

    const shown = await runCli(alice, ['show', id]);
    expect(shown.stdout).toMatch(/status:\s+denied/);
    expect(shown.stdout).toMatch(/denied by:\s+bob/);
  });

  it('audits it: events by requester, an export of every page, the chain verified, the summary', async () => {
    const events = (await cliJson(ada, ['audit', 'events', '--requester', 'alice', '--order', 'oldest', '--limit', '1000'])) as Array<{ action: string; requestId: string }>;
    expect(events.filter((e) => e.requestId === firstGrant).map((e) => e.action)).toEqual(['request.created', 'request.approved', 'credentials.issued', 'credentials.issued', 'credentials.issued', 'request.revoked']);
    const file = join(ada.home, 'alice.jsonl');
    const exported = await runCli(ada, ['audit', 'export', '--requester', 'alice', '--format', 'ndjson', '--out', file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Exported ${events.length} events to ${file}`);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(events.length);
    const again = await runCli(ada, ['audit', 'export', '--format', 'csv', '--out', file]);
    expect(again.code).toBe(ExitCode.usage);
    expect(again.stderr).toContain('it exists (not overwritten)');
    // Three events a page: one header line, then every event once, in order.
    const csv = join(ada.home, 'alice.csv');
    const paged = await runCli(ada, ['audit', 'export', '--requester', 'alice', '--order', 'oldest', '--format', 'csv', '--page-size', '3', '--out', csv]);
    expect(paged.code, paged.stderr).toBe(0);
    const pages = [...paged.stderr.matchAll(/Exported \d+ events \((\d+) pages\)/g)].map((m) => Number(m[1]));
    expect(pages.at(-1)).toBeGreaterThanOrEqual(Math.ceil(events.length / 3));
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(events.length + 1);
    expect(lines.filter((l) => l === lines[0])).toHaveLength(1);
    const ids = events.map((e) => e.requestId);
    expect(lines.slice(1).map((l) => ids.find((id) => l.includes(id)))).toEqual(ids);
    const verified = await runCli(ada, ['audit', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/result:\s+intact/);
    const summary = await cliJson(ada, ['audit', 'summary', '--target', TARGET]);
    expect(summary.activeGrants.map((g: { requestId: string }) => g.requestId)).not.toContain(firstGrant);
  });

  it('connects the mariadb client to MariaDB the same way', async () => {
    await onboard('mariadb', 'maria-local');
    const running = startCli(alice, ['connect', 'maria-local', '--user', 'app_ro', '--reason', 'INC-4713', '--', '--batch', '--skip-column-names', '-e', 'select current_user()']);
    await bobApprovesTheNextRequest([firstGrant]);
    const run = await running.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('app_ro@%');
    expect(run.stderr).toContain('Starting mariadb as app_ro@');
  });
});
