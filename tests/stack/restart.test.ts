import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runClient } from '#dev/databases/run-client';
import { DEMO } from '#dev/demo';
import { afterAll, describe, expect, it } from 'vitest';
import { mintToken } from '#dev/oidc/mint-token';
import { startStackProcess, type StackProcess } from '#dev/stack-process';
import { api } from '../support/api.ts';
import { control, installAndVerify, linkAccount } from '../support/standin.ts';
import { freeStackPort } from '../support/stack-ports.ts';

// `npm start` twice on the same home: what the customer installed in the
// stand-in, and the broker's own session, survive the restart, and the
// stand-in is back on the same port, so a verified integration still mints.

const home = mkdtempSync(join(tmpdir(), 'latchkey-restart-'));
const tenant = 'restart';
const DB = { hostname: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-RESTARTE2E00000000000001', account: '410987654321' };
let stack: StackProcess | undefined;

const demoHome = mkdtempSync(join(tmpdir(), 'latchkey-demo-'));

afterAll(async () => {
  await stack?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(demoHome, { recursive: true, force: true });
});

const clients = async (s: StackProcess) => {
  const as = async (sub: string, roles: string[], groups: string[] = []) =>
    api(await mintToken({ home, issuer: s.info.issuer, sub, tenant, roles, groups }), s.info.apiUrl);
  return { admin: await as('ada', ['admin']), alice: await as('alice', ['requester']), bob: await as('bob', ['approver'], ['dba']) };
};

const verdict = (s: StackProcess, token: string) =>
  control('verify-rds-token', { token, hostname: DB.hostname, port: DB.port, dbUser: 'app_ro' }, s.info.stsUrl);

describe('a restarted stack', () => {
  it('still mints for an integration verified before the restart, with the stand-in on API port + 5', async () => {
    const port = await freeStackPort();
    stack = await startStackProcess([], { home, port, inMemory: false });
    expect(stack.info.stsUrl).toBe(`http://127.0.0.1:${port + 5}`);
    let { admin, alice, bob } = await clients(stack);
    await control('databases', { ...DB, region: stack.info.region }, stack.info.stsUrl);
    const linked = await linkAccount(admin, 'orders', DB, {}, stack.info.region);
    await installAndVerify(admin, linked, 'OrdersAccess', stack.info.stsUrl);
    const created = await alice.post('/requests', { targetId: linked.target.targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'restart' });
    expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).body.status).toBe('approved');
    const before = await alice.post(`/requests/${created.body.requestId}/credentials`, {});
    expect(before.status).toBe(201);
    await stack.stop();
    stack = undefined;
    // Secrets of a simulated AWS: readable by the user only.
    expect(statSync(join(home, 'aws-standin', 'state.json')).mode & 0o777).toBe(0o600);

    stack = await startStackProcess([], { home, port, inMemory: false });
    expect(stack.info.stsUrl).toBe(`http://127.0.0.1:${port + 5}`);
    ({ admin, alice, bob } = await clients(stack));
    const after = await alice.post(`/requests/${created.body.requestId}/credentials`, {});
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(await verdict(stack, after.body.database.token)).toMatchObject({ ok: true, dbUser: 'app_ro' });
    // The token minted before the restart was signed by credentials the stand-in still knows.
    expect(await verdict(stack, before.body.database.token)).toMatchObject({ ok: true });
    await stack.stop();
    stack = undefined;

    // --reset starts the stand-in from nothing: the role the customer installed is gone.
    stack = await startStackProcess(['--reset'], { home, port, inMemory: false });
    const forgotten = await fetch(`${stack.info.stsUrl}/_standin/credentials`, { method: 'POST', body: JSON.stringify({ roleArn: `arn:aws:iam::${DB.account}:role/latchkey/OrdersAccess` }) });
    expect(forgotten.status).toBe(404);
    expect(await forgotten.json()).toMatchObject({ error: 'role_not_found' });
  });

  it('keeps the demo tenant across a restart (same targets, still verified, psql connects; moved to the new port when the API port changes), makes it anew after --reset, and not with --no-demo', async () => {
    const port = await freeStackPort();
    const psqlAsDemo = async (s: StackProcess) => {
      const as = async (sub: string, roles: string[], groups: string[] = []) =>
        api(await mintToken({ home: demoHome, issuer: s.info.issuer, sub, tenant: DEMO.tenant, roles, groups }), s.info.apiUrl);
      const alice = await as(DEMO.requester, ['requester']);
      const bob = await as(DEMO.approver, ['approver'], [DEMO.approverGroup]);
      const orders = s.info.demo?.targets.find((t) => t.name === DEMO.targets.postgres);
      const created = await alice.post('/requests', { targetId: orders?.targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'demo restart' });
      expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).body.status).toBe('approved');
      const issued = await alice.post(`/requests/${created.body.requestId}/credentials`, {});
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const run = await runClient('sh', ['-c', `${issued.body.database.command} -X -A -t -c 'select current_user'`], {
        cwd: dirname(s.info.caBundle ?? ''),
        env: { PATH: process.env.PATH, ...s.info.clientEnv, LATCHKEY_DB_TOKEN: issued.body.database.token },
      });
      return run.stdout.trim() || run.stderr;
    };

    stack = await startStackProcess([], { home: demoHome, port, inMemory: false });
    const first = stack.info.demo;
    expect(first?.targets.map((t) => t.name)).toEqual([DEMO.targets.postgres, DEMO.targets.mariadb]);
    expect(await psqlAsDemo(stack)).toBe('app_ro');
    await stack.stop();
    stack = undefined;

    stack = await startStackProcess([], { home: demoHome, port, inMemory: false });
    expect(stack.info.demo?.targets).toEqual(first?.targets);
    expect(stack.info.demo?.notices).toEqual([]);
    expect(await psqlAsDemo(stack)).toBe('app_ro');
    await stack.stop();
    stack = undefined;

    // The same home on other ports: the databases listen elsewhere, and the admin's PUT /targets follows them.
    const otherPort = await freeStackPort();
    stack = await startStackProcess([], { home: demoHome, port: otherPort, inMemory: false });
    expect(stack.info.demo?.targets).toEqual(first?.targets);
    // Moved concurrently: in either order.
    expect(stack.info.demo?.notices).toHaveLength(2);
    expect(stack.info.demo?.notices).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^demo target ${DEMO.targets.postgres} moved from .*:${port + 6} to .*:${otherPort + 6} `)),
      expect.stringMatching(new RegExp(`^demo target ${DEMO.targets.mariadb} moved from .*:${port + 7} to .*:${otherPort + 7} `)),
    ]));
    expect(await psqlAsDemo(stack)).toBe('app_ro');
    await stack.stop();
    stack = undefined;

    stack = await startStackProcess(['--reset'], { home: demoHome, port, inMemory: false });
    expect(stack.info.demo?.targets.map((t) => t.name)).toEqual(first?.targets.map((t) => t.name));
    expect(stack.info.demo?.targets[0]?.targetId).not.toBe(first?.targets[0]?.targetId);
    expect(await psqlAsDemo(stack)).toBe('app_ro');
    await stack.stop();
    stack = undefined;

    stack = await startStackProcess(['--no-demo', '--reset'], { home: demoHome, port, inMemory: false });
    expect(stack.info.demo).toBeUndefined();
    await stack.stop();
    stack = undefined;
  });
});
