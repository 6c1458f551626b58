import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { api, type ApiClient } from '../support/api.ts';
import { allCommandLines, forgetPeople, login, passfilePassword, person, processesWith, Terminal, type Person } from '../support/cli.ts';
import { control, installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';

// psql's `\c` after the first token's 15 minutes: `connect` keeps a fresh token
// in psql's password file (libpq reads it at every connection), so the reconnect
// gets in; without the refresh the same reconnect is refused. Time: the local
// PostgreSQL asks the AWS stand-in to judge each token, by the stand-in's clock,
// which the test moves. The broker signs tokens by the real clock, so a token
// minted after a plain 16-minute move would look 16 minutes old too. Instead the
// test reads the signing times (X-Amz-Date) of the first token and of its
// refresh, REFRESH_SECONDS apart, and moves the clock to 2 s past the first one's
// expiry: the first token is then past its 900 s, for certain (the clock only
// moves on; X-Amz-Date is to the second), and the refreshed one has
// REFRESH_SECONDS - 2 of real time left for `\c` — which the stand-in is asked
// to confirm for both tokens first. The
// password file's directory must be gone however connect ends: psql quits, SIGTERM.

const REGION = inject('region');
const tenant = `cli-refresh-${Date.now().toString(36)}`;
const pg = inject('postgres');
const TARGET = 'refresh-local';
const REFRESH_SECONDS = 30;

let admin: ApiClient;
let bob: ApiClient;
let alice: Person;
let grant: string;
const terminals: Terminal[] = [];

afterEach(async () => {
  await control('clock', { offsetSeconds: 0 });
});

afterAll(() => {
  for (const t of terminals) t.close();
  forgetPeople();
});

async function onboard(): Promise<void> {
  const { account, resourceId } = pg;
  const integration = await admin.post('/integrations', { accountId: account, name: 'cli-refresh' });
  const integrationId: string = integration.status === 201
    ? integration.body.integrationId
    : (await admin.get('/integrations')).body.items.find((i: { accountId: string }) => i.accountId === account).integrationId;
  const created = await admin.post('/targets', {
    name: TARGET, engine: 'postgres', endpoint: pg.host, port: pg.port, region: REGION, accountId: account, resourceId, integrationId,
    databaseUsers: ['app_ro'], policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120 },
  });
  expect(created.status).toBe(201);
  const setup = await admin.get(`/integrations/${integrationId}/setup`);
  await installAndVerify(admin, { integration: { accountId: account, integrationId }, setup: setup.body }, `CliRefresh${tenant}`);
  await createDatabaseUser(pg, setup.body.databases.find((d: { targetId: string }) => d.targetId === created.body.targetId).statements);
}

/** Bob approves alice's pending request (with the API: the CLI's approve is cli-connect's business). */
async function bobApproves(): Promise<string> {
  let id: string | undefined;
  await expect
    .poll(async () => {
      id = (await bob.get('/requests?view=approvable&status=pending')).body.items.find((r: { requesterId: string }) => r.requesterId === 'alice')?.requestId;
      return id;
    }, { timeout: 30_000, interval: 300 })
    .toBeDefined();
  expect((await bob.post(`/requests/${id}/approve`, {})).body.status).toBe('approved');
  return id!;
}

const signedAt = (token: string) => {
  const stamp = /X-Amz-Date=(\d{8}T\d{6}Z)/.exec(token)?.[1];
  expect(stamp).toBeDefined();
  return Date.parse(stamp!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) / 1000;
};

/** Moves the stand-in's clock so that it reads `atSeconds` (epoch) now. */
const clockReads = (atSeconds: number) => control('clock', { offsetSeconds: atSeconds - Date.now() / 1000 });

const verdict = async (token: string) =>
  (await control('verify-rds-token', { token, hostname: pg.host, port: pg.port, dbUser: 'app_ro' })) as { ok: boolean; reason?: string };

/** Starts `connect` for alice with this refresh interval and waits for the psql prompt; returns psql's password file. */
async function connect(name: string, refreshSeconds: number, approve: boolean): Promise<{ terminal: Terminal; passfile: string }> {
  const terminal = new Terminal(name);
  terminals.push(terminal);
  terminal.start({ ...alice, env: { ...alice.env, LATCHKEY_REFRESH_SECONDS: String(refreshSeconds) } }, ['connect', TARGET, '--user', 'app_ro', '--for', '1h', '--reason', 'INC-4714 reconnects']);
  if (approve) grant = await bobApproves();
  await expect.poll(() => terminal.screen(), { timeout: 60_000, interval: 250 }).toMatch(/postgres=> $/m);
  const psql = processesWith(`port=${pg.port} `).filter((p) => p.argv[0]?.endsWith('/psql'));
  expect(psql).toHaveLength(1);
  expect(psql[0]!.env.PGPASSWORD).toBeUndefined();
  return { terminal, passfile: psql[0]!.env.PGPASSFILE! };
}

async function currentUserAnswers(terminal: Terminal, times: number): Promise<void> {
  terminal.type('select current_user;');
  await expect
    .poll(() => terminal.screen().match(/current_user\s*\n-+\s*\n app_ro\s*\n\(1 row\)/g)?.length ?? 0, { timeout: 20_000, interval: 250 })
    .toBe(times);
}

describe('latchkey connect keeps psql able to reconnect', () => {
  beforeAll(async () => {
    admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
    bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
    await onboard();
    alice = person('alice');
    await login(alice, { user: 'alice', tenant, roles: ['requester'] });
  });

  it('without a refresh, psql\'s \\c after the token\'s 15 minutes is refused, and the session it had stays', async () => {
    const { terminal, passfile } = await connect('no-refresh', 100_000, true);
    const first = passfilePassword(passfile);
    await clockReads(signedAt(first) + 900 + 2);
    expect(await verdict(first)).toMatchObject({ ok: false, reason: 'expired' });

    terminal.type('\\c');
    await expect.poll(() => terminal.screen(), { timeout: 20_000, interval: 250 }).toContain('Previous connection kept');
    expect(terminal.screen()).toContain('FATAL:  PAM authentication failed for user "app_ro"');
    expect(passfilePassword(passfile)).toBe(first);
    await currentUserAnswers(terminal, 1);

    terminal.type('\\q');
    expect(await terminal.exit()).toEqual({ status: 0 });
    expect(existsSync(dirname(passfile)), 'the password file\'s directory is gone').toBe(false);
  });

  it('with the refresh, psql\'s \\c after the first token\'s 15 minutes reconnects as app_ro; a revoked grant stops the refresh, said once', async () => {
    // The grant of the first test is still open: connect reuses it.
    const { terminal, passfile } = await connect('refresh', REFRESH_SECONDS, false);
    const first = passfilePassword(passfile);
    await currentUserAnswers(terminal, 1);
    await expect.poll(() => passfilePassword(passfile), { timeout: (REFRESH_SECONDS + 30) * 1000, interval: 250 }).not.toBe(first);
    const second = passfilePassword(passfile);
    expect(signedAt(second) - signedAt(first)).toBeGreaterThanOrEqual(REFRESH_SECONDS);
    const commandLines = allCommandLines();

    await clockReads(signedAt(first) + 900 + 2);
    expect(await verdict(first)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await verdict(passfilePassword(passfile))).toMatchObject({ ok: true });
    terminal.type('\\c');
    await expect.poll(() => terminal.screen(), { timeout: 20_000, interval: 250 }).toContain('You are now connected to database "postgres" as user "app_ro".');
    expect(terminal.screen()).not.toContain('Previous connection kept');
    await currentUserAnswers(terminal, 2);
    await control('clock', { offsetSeconds: 0 });

    // Bob ends the grant: the next mint is refused, and connect says so once, without a secret.
    expect((await bob.post(`/requests/${grant}/revoke`, { note: 'done' })).body.status).toBe('revoked');
    await expect.poll(() => terminal.screen(), { timeout: (REFRESH_SECONDS + 30) * 1000, interval: 500 }).toContain('latchkey: stopped refreshing the token');
    terminal.type('\\q');
    expect(await terminal.exit()).toEqual({ status: 0 });
    const screen = terminal.screen();
    expect(screen.match(/stopped refreshing the token/g)).toHaveLength(1);
    expect(existsSync(dirname(passfile)), 'the password file\'s directory is gone').toBe(false);
    for (const token of [first, second]) {
      for (const text of [...commandLines, screen]) expect(text.includes(token), `a token appeared in: ${text.slice(0, 200)}`).toBe(false);
    }
  }, 180_000);

  it('SIGTERM to connect ends psql and removes the password file\'s directory', async () => {
    // The second test revoked the grant: this asks anew.
    const { terminal, passfile } = await connect('sigterm', 100_000, true);
    const cli = processesWith('INC-4714 reconnects').filter((p) => p.argv.includes('connect'));
    expect(cli).toHaveLength(1);
    process.kill(cli[0]!.pid, 'SIGTERM');
    expect(await terminal.exit()).toEqual({ status: 128 + 15 });
    expect(existsSync(dirname(passfile)), 'the password file\'s directory is gone').toBe(false);
  });
});
