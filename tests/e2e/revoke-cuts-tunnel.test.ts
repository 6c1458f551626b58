import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { freePort } from '../../dev/free-port.ts';
import { api, type ApiClient } from '../support/api.ts';
import { answer, runJudged, runPrinted } from '../support/database-clients.ts';
import { control } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';
import { canConnect, spawnPrinted, type TunnelProcess } from '../support/tunnel-process.ts';

// Revoke, seen from a psql prompt: a real psql session through the local tunnel
// of an SSM port-forwarding session (the printed plugin command, dev/bin's
// session-manager-plugin, the stand-in's stream to the real PostgreSQL) is cut
// when an approver revokes the grant — Latchkey's revoke calls SSM
// TerminateSession, and the stand-in ends the session's streams — and nothing
// opens again through that session.

const REGION = inject('region');
const tenant = `revoke-tunnel-${Date.now().toString(36)}`;
const BASTION = 'i-0ec0ffee5eed00001';

let alice: ApiClient;
let bob: ApiClient;
let targetId: string;
const cleanup: (() => void)[] = [];

afterAll(() => cleanup.forEach((stop) => stop()));

/** The customer's private PostgreSQL behind a bastion, onboarded exactly from the emitted setup. */
beforeAll(async () => {
  const server = inject('postgres');
  const admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  alice = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
  await control('instances', { instanceId: BASTION, account: server.account, region: REGION });
  const integration = (await admin.post('/integrations', { accountId: server.account, name: 'private-orders' })).body;
  const target = await admin.post('/targets', {
    name: 'private-orders', engine: 'postgres', endpoint: server.host, port: server.port, region: REGION, accountId: server.account,
    resourceId: server.resourceId, databaseUsers: ['app_ro'], bastionInstanceId: BASTION, integrationId: integration.integrationId,
    policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120 },
  });
  expect(target.status).toBe(201);
  targetId = target.body.targetId;
  const setup = (await admin.get(`/integrations/${integration.integrationId}/setup`)).body;
  const roleArn = `arn:aws:iam::${server.account}:role/latchkey/RevokeTunnel${Date.now()}`;
  await control('roles', { arn: roleArn, trustPolicy: setup.trustPolicy, permissionPolicies: [setup.permissionPolicy] });
  await admin.put(`/integrations/${integration.integrationId}/role`, { roleArn });
  expect((await admin.post(`/integrations/${integration.integrationId}/verify`)).body.status).toBe('verified');
  await createDatabaseUser(server, setup.databases.find((d: { targetId: string }) => d.targetId === targetId).statements);
});

/** psql at a prompt fed through a pipe, the way a person types into it; resolves `said` once stdout shows `text`. */
function psqlSession(command: string, token: string) {
  const child = spawn('sh', ['-c', `${command} -X -A -t`], {
    cwd: dirname(inject('caBundle')),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LATCHKEY_DB_TOKEN: token },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin.on('error', () => undefined);
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return {
    exited,
    type: (line: string) => child.stdin.write(`${line}\n`),
    shows: (text: string) => new Promise<void>((resolve, reject) => {
      const check = () => stdout.includes(text) && resolve();
      child.stdout.on('data', check);
      check();
      void exited.then(() => reject(new Error(`psql exited before printing "${text}": ${stderr}`)));
    }),
  };
}

describe('revoking a grant while psql runs through its tunnel', () => {
  let tunnel: TunnelProcess;
  let credentials: { database: { token: string; command: string }; ssm: { sessionId: string; pluginCommand: string; command: string; localPortNumber: number } };
  let requestId: string;

  beforeAll(async () => {
    const created = await alice.post('/requests', { targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'revoke e2e' });
    requestId = created.body.requestId;
    expect((await bob.post(`/requests/${requestId}/approve`, {})).body.status).toBe('approved');
    const issued = await alice.post(`/requests/${requestId}/credentials`, { ssm: { localPortNumber: await freePort() } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    credentials = issued.body;
    tunnel = spawnPrinted(credentials.ssm.pluginCommand);
    cleanup.push(() => tunnel.child.kill('SIGKILL'));
    await tunnel.ready;
  });

  it('cuts the session: psql reports the server closed the connection and exits 2; the tunnel exits 2', async () => {
    const psql = psqlSession(credentials.ssm.command, credentials.database.token);
    psql.type('select current_user;');
    await psql.shows('app_ro\n');
    // A long statement in flight: the connection is in use when the revoke lands.
    psql.type('select pg_sleep(600);');
    await waitForBackend('pg_sleep');

    const revoked = await bob.post(`/requests/${requestId}/revoke`, { note: 'e2e' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', terminatedSessions: [credentials.ssm.sessionId], failedSessions: [] });

    const ended = await psql.exited;
    // psql's own words for a connection the far end closed, and its exit code for a lost connection in a script.
    expect(ended.stderr).toMatch(/server closed the connection unexpectedly|SSL SYSCALL error: EOF detected|connection to server was lost/);
    expect(ended.code).toBe(2);
    expect(await tunnel.exited).toMatchObject({ code: 2, stderr: expect.stringContaining('was terminated') });
  });

  it('opens nothing again: not the old tunnel port, not a new tunnel from the same session, no new credentials', async () => {
    expect(await canConnect(credentials.ssm.localPortNumber)).toBe(false);
    const again = await runPrinted('postgres', credentials.ssm.command, credentials.database.token);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Connection refused');

    const retry = spawnPrinted(credentials.ssm.pluginCommand);
    cleanup.push(() => retry.child.kill('SIGKILL'));
    const refused = await retry.exited;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/terminated/);

    const more = await alice.post(`/requests/${requestId}/credentials`, { ssm: {} });
    expect(more.status).toBe(409);
  });

  it('still lets the old token open a direct connection until it expires, as RDS does (README, Known limits)', async () => {
    // Revocation ends the grant's sessions and stops issuance; a token already issued is a presigned
    // URL that RDS judges by its signature, its 15 minutes and the session policy's window — none of
    // which a revocation changes. Here the private database is reachable without the bastion.
    const { run, verdicts } = await runJudged('postgres', credentials.database.command, credentials.database.token);
    expect(answer(run)).toBe('app_ro');
    expect(verdicts).toEqual([expect.stringMatching(/ app_ro accepted$/)]);
  });
});

/** Until the server shows app_ro's backend running a statement containing `text`. */
async function waitForBackend(text: string): Promise<void> {
  const { postgresSql } = await import('../../dev/databases/postgres.ts');
  for (;;) {
    const rows = await postgresSql(inject('postgres').admin, `SELECT count(*) FROM pg_stat_activity WHERE usename = 'app_ro' AND state = 'active' AND query LIKE '%${text}%' AND pid <> pg_backend_pid();`);
    if (Number(rows.trim()) > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
