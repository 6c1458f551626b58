import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { api, type ApiClient } from '../support/api.ts';
import { installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';

// A grant's end is real: psql sessions opened with a grant's printed command, on the real local
// PostgreSQL, are cut by the server when the grant is revoked (Latchkey connects as the control user
// the setup's SQL created, with its own IAM token, and ends the backends tagged with the grant),
// while another grant's session on the same database user stays up. A session whose tag was taken
// off cannot be told apart: it is reported while another grant uses the user, ended once none does.

const REGION = inject('region');
const tenant = `dbsess-${Date.now().toString(36)}`;
// A database user of this file's own: the sessions it ends are never another test's.
const USER = 'sess_ro';

let admin: ApiClient;
let alice: ApiClient;
let bob: ApiClient;
let targetId: string;
const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((stop) => stop()));

beforeAll(async () => {
  const server = inject('postgres');
  admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin', 'auditor'] }));
  alice = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
  const integration = (await admin.post('/integrations', { accountId: server.account, name: 'sessions' })).body;
  const target = await admin.post('/targets', {
    name: 'orders-sessions', engine: 'postgres', endpoint: server.host, port: server.port, region: REGION, accountId: server.account,
    resourceId: server.resourceId, databaseUsers: [USER], integrationId: integration.integrationId,
    policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120, sessions: { attribution: 'tagged', terminateVia: 'direct' } },
  });
  expect(target.status, JSON.stringify(target.body)).toBe(201);
  targetId = target.body.targetId;
  const setup = (await admin.get(`/integrations/${integration.integrationId}/setup`)).body;
  await installAndVerify(admin, { integration: { accountId: server.account, integrationId: integration.integrationId }, setup }, `DbSessions${Date.now()}`);
  // The customer's DBA runs the emitted SQL: the requestable user and Latchkey's control user.
  await createDatabaseUser(server, setup.databases.find((d: { targetId: string }) => d.targetId === targetId).statements);
});

type Issued = { requestId: string; database: { token: string; command: string; sessionTag: string } };

async function grant(): Promise<Issued> {
  const created = await alice.post('/requests', { targetId, databaseUser: USER, durationMinutes: 60, reason: 'sessions e2e' });
  expect(created.status).toBe(201);
  expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).body.status).toBe('approved');
  const issued = await alice.post(`/requests/${created.body.requestId}/credentials`, {});
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return { requestId: created.body.requestId, database: issued.body.database };
}

/** psql at a prompt fed through a pipe, run from the printed command as a person would (nss_wrapper resolves the RDS name). */
function psqlSession(command: string, token: string) {
  const child = spawn('sh', ['-c', `${command} -X -A -t`], {
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
        void exited.then(() => reject(new Error(`psql exited before printing "${text}": ${stderr}`)));
      }),
  };
}

/** The backend pid of a psql session, as it prints it itself. */
async function backendPid(session: ReturnType<typeof psqlSession>, marker: string): Promise<number> {
  session.type(`select '${marker}:' || pg_backend_pid();`);
  await session.shows(`${marker}:`);
  const line = new RegExp(`${marker}:(\\d+)\n`);
  while (!line.test(session.output())) await new Promise((r) => setTimeout(r, 20));
  return Number(line.exec(session.output())![1]);
}

const events = async (requestId: string) => (await admin.get(`/audit/requests/${requestId}/events`)).body.items as { action: string; outcome: string; details?: Record<string, unknown> }[];

describe('revoking a grant cuts its live psql sessions, and only its own', () => {
  it('prints a tagged command and ends the revoked grant’s backend within 10 s; the other grant’s session on the same user survives', async () => {
    const first = await grant();
    const second = await grant();
    expect(first.database.sessionTag).toBe(`lk-${first.requestId}`);
    expect(first.database.command).toContain(`application_name=lk-${first.requestId}`);

    const one = psqlSession(first.database.command, first.database.token);
    const two = psqlSession(second.database.command, second.database.token);
    one.type('select current_user;');
    two.type('select current_user;');
    await one.shows(`${USER}\n`);
    await two.shows(`${USER}\n`);
    const pid = await backendPid(one, 'first');
    one.type('select pg_sleep(600);');

    const revokedAt = Date.now();
    const revoked = await bob.post(`/requests/${first.requestId}/revoke`, { note: 'e2e' });
    expect(revoked.status).toBe(200);

    const ended = await one.exited;
    expect(ended.at - revokedAt).toBeLessThan(10_000);
    expect(ended.stderr).toMatch(/terminating connection due to administrator command|server closed the connection unexpectedly/);
    expect(ended.code).toBe(2);

    two.type("select 'still ' || current_user;");
    await two.shows(`still ${USER}\n`);
    expect(two.alive()).toBe(true);

    const logged = (await events(first.requestId)).filter((e) => e.action.startsWith('db.'));
    expect(logged).toEqual([expect.objectContaining({ action: 'db.sessions_terminated', outcome: 'success', details: expect.objectContaining({ reason: 'revoked', attempt: 1, terminated: [pid] }) })]);
    expect(JSON.stringify(logged)).not.toContain(first.database.token.slice(-40));

    // The second grant's end takes its own session too: idle at the prompt, psql finds out at its next statement.
    await bob.post(`/requests/${second.requestId}/revoke`, {});
    two.type('select 1;');
    const gone = await two.exited;
    expect(gone.stderr).toMatch(/terminating connection due to administrator command|server closed the connection unexpectedly/);
    expect(gone.code).toBe(2);
  });

  it('reports a session whose tag was removed while another grant uses the user, and ends it with the last grant', async () => {
    const first = await grant();
    const second = await grant();
    const untagged = psqlSession(first.database.command, first.database.token);
    untagged.type("set application_name = 'my-own-name';");
    untagged.type('select current_user;');
    await untagged.shows(`${USER}\n`);
    const pid = await backendPid(untagged, 'untagged');

    await bob.post(`/requests/${first.requestId}/revoke`, {});
    const firstEnd = (await events(first.requestId)).find((e) => e.action === 'db.sessions_terminated');
    expect(firstEnd?.details).toMatchObject({ terminated: [], unattributed: [pid] });
    untagged.type("select 'alive';");
    await untagged.shows('alive\n');

    await bob.post(`/requests/${second.requestId}/revoke`, {});
    untagged.type('select 1;');
    expect((await untagged.exited).code).toBe(2);
    const secondEnd = (await events(second.requestId)).find((e) => e.action === 'db.sessions_terminated');
    expect(secondEnd?.details).toMatchObject({ terminated: [pid] });
  });
});
