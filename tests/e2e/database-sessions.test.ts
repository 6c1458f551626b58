import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { api, type ApiClient } from '../support/api.ts';
import { installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';

// A grant's end is real: sessions opened with a grant's printed command, with the real psql and mariadb
// clients on the real local PostgreSQL and MariaDB, are cut by the server when the grant is revoked
// (Latchkey connects as the control user the setup's SQL created, with its own IAM token, and ends the
// sessions tagged with the grant), while another grant's session on the same database user stays up.
// A session whose tag was taken off cannot be told apart: it is reported while another grant uses the
// user, and ended once none does.

type Engine = 'postgres' | 'mariadb';
const REGION = inject('region');
const tenant = `dbsess-${Date.now().toString(36)}`;
// A database user of this file's own: the sessions it ends are never another test's.
const USER = 'sess_ro';

let admin: ApiClient;
let alice: ApiClient;
let bob: ApiClient;
const targets = {} as Record<Engine, string>;
let permissionPolicy: { Statement: { Action: string | string[]; Resource: string | string[] }[] };
/** How many lines each server's login check had written before this file: what it writes after is this file's. */
const authLogStart = {} as Record<Engine, number>;
const authLines = (engine: Engine) => (existsSync(inject(engine).authLog) ? readFileSync(inject(engine).authLog, 'utf8').split('\n').filter(Boolean) : []);
const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((stop) => stop()));

/** Both local servers, one integration (they play RDS instances of one account), installed from the emitted setup. */
beforeAll(async () => {
  admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin', 'auditor'] }));
  alice = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
  const account = inject('postgres').account;
  const integration = (await admin.post('/integrations', { accountId: account, name: 'sessions' })).body;
  for (const engine of ['postgres', 'mariadb'] as const) {
    const server = inject(engine);
    const target = await admin.post('/targets', {
      name: `${engine}-sessions`, engine, endpoint: server.host, port: server.port, region: REGION, accountId: server.account,
      resourceId: server.resourceId, databaseUsers: [USER], integrationId: integration.integrationId,
      policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120, sessions: { attribution: 'tagged', terminateVia: 'direct' } },
    });
    expect(target.status, JSON.stringify(target.body)).toBe(201);
    targets[engine] = target.body.targetId;
  }
  const setup = (await admin.get(`/integrations/${integration.integrationId}/setup`)).body;
  permissionPolicy = setup.permissionPolicy;
  for (const engine of ['postgres', 'mariadb'] as const) authLogStart[engine] = authLines(engine).length;
  await installAndVerify(admin, { integration: { accountId: account, integrationId: integration.integrationId }, setup }, `DbSessions${Date.now()}`);
  // The customer's DBA runs the emitted SQL on each: the requestable user and Latchkey's control user.
  for (const engine of ['postgres', 'mariadb'] as const) {
    await createDatabaseUser(inject(engine), setup.databases.find((d: { targetId: string }) => d.targetId === targets[engine]).statements);
  }
});

type Issued = { requestId: string; database: { token: string; command: string; sessionTag: string } };

async function grant(engine: Engine): Promise<Issued> {
  const created = await alice.post('/requests', { targetId: targets[engine], databaseUser: USER, durationMinutes: 60, reason: 'sessions e2e' });
  expect(created.status).toBe(201);
  expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).body.status).toBe('approved');
  const issued = await alice.post(`/requests/${created.body.requestId}/credentials`, {});
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return { requestId: created.body.requestId, database: issued.body.database };
}

/** What differs between the two clients: how each is kept at a prompt, and its SQL and words. */
const dialect = {
  postgres: {
    options: ' -X -A -t',
    whoami: 'select current_user;',
    pid: (m: string) => `select '${m}:' || pg_backend_pid();`,
    sleep: 'select pg_sleep(600);',
    untag: "set application_name = 'my-own-name';",
    echo: (text: string) => `select '${text}';`,
    cut: /terminating connection due to administrator command|server closed the connection unexpectedly/,
    exitCode: 2,
    user: USER,
  },
  mariadb: {
    // --unbuffered: each answer is written as it comes, not when stdin closes.
    options: ' --batch --skip-column-names --unbuffered',
    whoami: 'select current_user();',
    pid: (m: string) => `select concat('${m}:', connection_id());`,
    sleep: 'select sleep(600);',
    untag: 'set @latchkey_grant = NULL;',
    echo: (text: string) => `select '${text}';`,
    // The server's close reaches the client as the end of its TLS stream mid-query (2026), or as a lost connection (2013).
    cut: /ERROR 2026 \(HY000\) at line \d+: TLS\/SSL error: unexpected eof|ERROR 2013 \(HY000\)|Lost connection to server|server has gone away/,
    exitCode: 1,
    user: `${USER}@%`,
  },
} as const;

/** The client at a prompt fed through a pipe, run from the printed command as a person would (nss_wrapper resolves the RDS name). */
function clientSession(engine: Engine, command: string, token: string) {
  const child = spawn('sh', ['-c', `${command}${dialect[engine].options}`], {
    cwd: dirname(inject('caBundle')),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...inject('clientEnv'), LATCHKEY_DB_TOKEN: token },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin.on('error', () => undefined);
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr, at: Date.now() }));
  let done = false;
  void exited.then(() => (done = true));
  return {
    exited,
    output: () => stdout,
    alive: () => !done,
    type: (line: string) => child.stdin.write(`${line}\n`),
    shows: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => stdout.includes(text) && resolve();
        child.stdout.on('data', check);
        check();
        void exited.then(() => reject(new Error(`the client exited before printing "${text}": ${stderr}`)));
      }),
  };
}

/** The backend pid (connection id) of a session, as it prints it itself. */
async function backendPid(engine: Engine, session: ReturnType<typeof clientSession>, marker: string): Promise<number> {
  session.type(dialect[engine].pid(marker));
  await session.shows(`${marker}:`);
  const line = new RegExp(`${marker}:(\\d+)\n`);
  while (!line.test(session.output())) await new Promise((r) => setTimeout(r, 20));
  return Number(line.exec(session.output())![1]);
}

const events = async (requestId: string) => (await admin.get(`/audit/requests/${requestId}/events`)).body.items as { action: string; outcome: string; details?: Record<string, unknown> }[];

describe.each(['postgres', 'mariadb'] as const)('%s: revoking a grant cuts its live sessions, and only its own', (engine) => {
  const d = dialect[engine];

  it('prints a tagged command and ends the revoked grant’s session within 10 s; the other grant’s session on the same user survives', async () => {
    const first = await grant(engine);
    const second = await grant(engine);
    expect(first.database.sessionTag).toBe(`lk-${first.requestId}`);
    expect(first.database.command).toContain(engine === 'postgres' ? `application_name=lk-${first.requestId}` : `@latchkey_grant=`);

    const one = clientSession(engine, first.database.command, first.database.token);
    const two = clientSession(engine, second.database.command, second.database.token);
    one.type(d.whoami);
    two.type(d.whoami);
    await one.shows(`${d.user}\n`);
    await two.shows(`${d.user}\n`);
    const pid = await backendPid(engine, one, 'first');
    // A long statement in flight: the connection is in use when the revoke lands.
    one.type(d.sleep);

    const revokedAt = Date.now();
    const revoked = await bob.post(`/requests/${first.requestId}/revoke`, { note: 'e2e' });
    expect(revoked.status).toBe(200);

    const ended = await one.exited;
    expect(ended.at - revokedAt).toBeLessThan(10_000);
    expect(ended.stderr).toMatch(d.cut);
    expect(ended.code).toBe(d.exitCode);

    two.type(d.echo('still here'));
    await two.shows('still here\n');
    expect(two.alive()).toBe(true);

    const logged = (await events(first.requestId)).filter((e) => e.action.startsWith('db.'));
    expect(logged).toEqual([expect.objectContaining({ action: 'db.sessions_terminated', outcome: 'success', details: expect.objectContaining({ reason: 'revoked', attempt: 1, terminated: [pid] }) })]);
    expect(JSON.stringify(logged)).not.toContain(first.database.token.slice(-40));

    // The second grant's end takes its own session too: idle at the prompt, the client finds out at its next statement.
    await bob.post(`/requests/${second.requestId}/revoke`, {});
    two.type(d.echo('after'));
    const gone = await two.exited;
    expect(gone.stderr).toMatch(d.cut);
    expect(gone.code).toBe(d.exitCode);
  });

  it('reports a session whose tag was removed while another grant uses the user, and ends it with the last grant', async () => {
    const first = await grant(engine);
    const second = await grant(engine);
    const untagged = clientSession(engine, first.database.command, first.database.token);
    untagged.type(d.untag);
    untagged.type(d.whoami);
    await untagged.shows(`${d.user}\n`);
    const pid = await backendPid(engine, untagged, 'untagged');

    await bob.post(`/requests/${first.requestId}/revoke`, {});
    const firstEnd = (await events(first.requestId)).find((e) => e.action === 'db.sessions_terminated');
    expect(firstEnd?.details).toMatchObject({ terminated: [], unattributed: [pid] });
    untagged.type(d.echo('alive'));
    await untagged.shows('alive\n');

    await bob.post(`/requests/${second.requestId}/revoke`, {});
    const secondEnd = (await events(second.requestId)).find((e) => e.action === 'db.sessions_terminated');
    expect(secondEnd?.details).toMatchObject({ terminated: [pid] });
    untagged.type(d.echo('after'));
    expect((await untagged.exited).code).toBe(d.exitCode);
  });
});

describe('a database that does not answer', () => {
  it('yields a logged failure on revoke, and the sweeper’s retry ends the session once it answers again', async () => {
    const d = dialect.postgres;
    const issued = await grant('postgres');
    const session = clientSession('postgres', issued.database.command, issued.database.token);
    session.type(d.whoami);
    await session.shows(`${d.user}\n`);
    const pid = await backendPid('postgres', session, 'retry');

    // The postmaster stopped: new connections are accepted by the kernel and never answered (the control
    // connection times out), while the session's own backend, a process of its own, runs on.
    const postmaster = Number(readFileSync(join(dirname(inject('postgres').authLog), 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const resume = () => process.kill(postmaster, 'SIGCONT');
    cleanup.push(resume);
    process.kill(postmaster, 'SIGSTOP');
    try {
      expect((await bob.post(`/requests/${issued.requestId}/revoke`, {})).status).toBe(200);
    } finally {
      resume();
    }
    const [failed] = (await events(issued.requestId)).filter((e) => e.action.startsWith('db.'));
    expect(failed).toMatchObject({ action: 'db.sessions_termination_failed', outcome: 'failure', details: { reason: 'revoked', attempt: 1, error: 'ETIMEDOUT', nextAttemptAt: expect.any(String) } });
    session.type(d.echo('still open'));
    await session.shows('still open\n');
    const leftOpen = async () => ((await admin.get('/audit/access-summary')).body.sessionsLeftOpen as { requestId: string; error?: string }[]).filter((g) => g.requestId === issued.requestId);
    expect(await leftOpen()).toEqual([expect.objectContaining({ error: 'ETIMEDOUT' })]);

    // The stack's sweeper runs every minute; the retry is due 30 s after the failure.
    let ended: { details?: Record<string, unknown> } | undefined;
    for (const deadline = Date.now() + 150_000; !ended && Date.now() < deadline; await new Promise((r) => setTimeout(r, 2_000))) {
      ended = (await events(issued.requestId)).find((e) => e.action === 'db.sessions_terminated');
    }
    expect(ended?.details).toMatchObject({ reason: 'revoked', attempt: 2, terminated: [pid] });
    expect(await leftOpen()).toEqual([]);
    session.type(d.echo('after'));
    expect((await session.exited).code).toBe(d.exitCode);
  }, 200_000);
});

describe('the customer setup of this mode', () => {
  it('grants nothing beyond the calls made: rds-db:connect as exactly the users that connected (the requested one and the control user)', () => {
    // Every login this file made, as each server's check judged it; the role allows exactly these.
    const used = new Set<string>();
    for (const engine of ['postgres', 'mariadb'] as const) {
      const { account, resourceId } = inject(engine);
      for (const line of authLines(engine).slice(authLogStart[engine])) {
        const user = / (\w+) accepted$/.exec(line)?.[1];
        if (user) used.add(`rds-db:connect arn:aws:rds-db:${REGION}:${account}:dbuser:${resourceId}/${user}`);
      }
    }
    const granted = permissionPolicy.Statement.flatMap((s) => [s.Action].flat().flatMap((a) => [s.Resource].flat().map((r) => `${a} ${r}`)));
    expect(new Set(granted)).toEqual(used);
    expect([...used].filter((u) => u.endsWith('/latchkey_control'))).toHaveLength(2);
  });
});
