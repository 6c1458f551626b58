import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { api, type ApiClient } from '../support/api.ts';
import { answer, runJudged, runPrinted, type Engine } from '../support/database-clients.ts';
import { control, installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';

// The whole loop ends at a real database prompt. The stack runs a real
// PostgreSQL and MariaDB that judge each password the way RDS IAM
// authentication does (dev/databases). Here a customer's setup is installed
// exactly as emitted: the role in the stand-in, and the users created by the
// emitted SQL. A requester then gets credentials, and the real psql / mariadb
// client runs the printed command. The server decides at connect time, so
// everything RDS refuses must be refused here, with the client's own error.

const REGION = inject('region');
const tenant = `realdb-${Date.now().toString(36)}`;

/** The error text each client prints for a refused IAM login (REAL-DATABASES.md). */
const refused: Record<Engine, (user: string) => string> = {
  postgres: (user) => `FATAL:  PAM authentication failed for user "${user}"`,
  mariadb: (user) => `ERROR 1045 (28000): Access denied for user '${user}'@'127.0.0.1' (using password: NO)`,
};
const currentUser: Record<Engine, (user: string) => string> = { postgres: (u) => u, mariadb: (u) => `${u}@%` };

let admin: ApiClient;
let alice: ApiClient;
let bob: ApiClient;

beforeAll(async () => {
  admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  alice = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
});

afterEach(async () => {
  // A test that moved the stand-in's clock must not leave it moved for the next.
  await control('clock', { offsetSeconds: 0 });
});

type Targets = { main: string; otherHost: string; otherPort: string };

/**
 * The admin links the server's account and registers the local server as a database with two
 * users, plus two look-alikes: one at another host name on the same port, one at
 * the same host name on another port (their tokens are signed for those). The customer
 * installs the emitted role, and its DBA runs the emitted SQL on the server.
 */
async function onboard(engine: Engine): Promise<Targets> {
  // The stack registered each server in the stand-in as one RDS instance, in one account (as the demo tenant's is).
  const server = inject(engine);
  const { account, resourceId } = server;
  const integration = await admin.post('/integrations', { accountId: account, name: `real-${engine}` });
  expect(integration.status).toBe(201);
  const { integrationId } = integration.body;
  const register = async (name: string, endpoint: string, port: number, id: string) => {
    const created = await admin.post('/targets', {
      name, engine, endpoint, port, region: REGION, accountId: account, resourceId: id, integrationId,
      databaseUsers: ['app_ro', 'app_rw'], policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120 },
    });
    expect(created.status).toBe(201);
    return created.body.targetId as string;
  };
  const targets = {
    main: await register(`${engine}-local`, server.host, server.port, resourceId),
    otherHost: await register(`${engine}-other-host`, server.host.replace(/^[^.]+/, 'elsewhere'), server.port, `${resourceId}OTHERHOST`),
    otherPort: await register(`${engine}-other-port`, server.host, server.port + 1, `${resourceId}OTHERPORT`),
  };

  const setup = await admin.get(`/integrations/${integrationId}/setup`);
  expect(setup.status).toBe(200);
  await installAndVerify(admin, { integration: { accountId: account, integrationId }, setup: setup.body }, `RealDatabases${engine}${Date.now()}`);

  const sql = setup.body.databases.find((d: { targetId: string }) => d.targetId === targets.main);
  await createDatabaseUser(server, sql.statements);
  return targets;
}

async function credentials(targetId: string, durationMinutes = 60, databaseUser = 'app_ro') {
  const created = await alice.post('/requests', { targetId, databaseUser, durationMinutes, reason: 'real database e2e' });
  expect(created.status).toBe(201);
  expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).body.status).toBe('approved');
  const issued = await alice.post(`/requests/${created.body.requestId}/credentials`, {});
  expect(issued.status).toBe(201);
  return issued.body.database as { token: string; command: string; host: string; port: number; user: string };
}

/** Moves the stand-in's clock (RDS's, for these servers) to `minutes` after now. */
const clockAt = (minutes: number) => control('clock', { offsetSeconds: minutes * 60 });

describe.each(['postgres', 'mariadb'] as const)('real %s judging IAM tokens at connect time', (engine) => {
  let targets: Targets;
  let good: Awaited<ReturnType<typeof credentials>>;

  const expectRefused = async (command: string, token: string, user: string, reason: string) => {
    const { run, verdicts } = await runJudged(engine, command, token);
    expect(run.code, run.stdout).not.toBe(0);
    expect(run.stderr).toContain(refused[engine](user));
    // Refused by the check, once, for the reason the test names — not for some other one.
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatch(new RegExp(` ${user} refused ${reason}:`));
  };

  beforeAll(async () => {
    targets = await onboard(engine);
    good = await credentials(targets.main);
  });

  it('connects with the issued token as that database user, through the printed command', async () => {
    expect(good).toMatchObject({ host: inject(engine).host, port: inject(engine).port, user: 'app_ro' });
    expect(good.command).not.toContain(good.token);
    const { run, verdicts } = await runJudged(engine, good.command, good.token);
    expect(run.stderr).toBe('');
    expect(answer(run)).toBe(currentUser[engine]('app_ro'));
    expect(verdicts).toEqual([expect.stringMatching(/ app_ro accepted$/)]);
  });

  it('refuses the token for another database user', async () => {
    const asOther = engine === 'postgres' ? good.command.replace(' user=app_ro ', ' user=app_rw ') : good.command.replace('--user=app_ro ', '--user=app_rw ');
    expect(asOther).not.toBe(good.command);
    await expectRefused(asOther, good.token, 'app_rw', 'wrong-user');
  });

  it('refuses a token signed for another host name or another port', async () => {
    const otherHost = await credentials(targets.otherHost);
    expect(otherHost.host).not.toBe(good.host);
    await expectRefused(good.command, otherHost.token, 'app_ro', 'wrong-host');
    const otherPort = await credentials(targets.otherPort);
    expect(otherPort.port).toBe(good.port + 1);
    await expectRefused(good.command, otherPort.token, 'app_ro', 'wrong-port');
  });

  it('refuses a connection without TLS, even with a valid token', async () => {
    // Only ever on loopback: MariaDB runs the PAM check before it refuses the transport, so the token
    // crosses in clear (REAL-DATABASES.md) — which is why the printed command must never allow it.
    const plain = engine === 'postgres' ? good.command.replace('sslmode=verify-full', 'sslmode=disable') : good.command.replace('--ssl-verify-server-cert', '--skip-ssl');
    expect(plain).not.toBe(good.command);
    const { run, verdicts } = await runJudged(engine, plain, good.token);
    expect(run.code).not.toBe(0);
    if (engine === 'postgres') {
      expect(run.stderr).toContain('FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app_ro", database "postgres", no encryption');
      expect(verdicts).toEqual([]);
    } else {
      expect(run.stderr).toContain(refused.mariadb('app_ro'));
      // The token was judged valid, and the server refused the user anyway (REQUIRE SSL, require-secure-transport).
      expect(verdicts).toEqual([expect.stringMatching(/ app_ro accepted$/)]);
    }
  });

  it('refuses a token whose X-Amz-Signature was changed', async () => {
    const tampered = good.token.replace(/(X-Amz-Signature=)([0-9a-f])/, (_, name: string, c: string) => `${name}${c === '0' ? '1' : '0'}`);
    expect(tampered).not.toBe(good.token);
    await expectRefused(good.command, tampered, 'app_ro', 'bad-signature');
  });

  it('refuses a token past its 15 minutes', async () => {
    const fresh = await credentials(targets.main, 60);
    await clockAt(14);
    expect(answer(await runPrinted(engine, fresh.command, fresh.token))).toBe(currentUser[engine]('app_ro'));
    await clockAt(16);
    await expectRefused(fresh.command, fresh.token, 'app_ro', 'expired');
  });

  it('refuses a still-unexpired token once the grant’s window has ended (session policy DateLessThan)', async () => {
    const short = await credentials(targets.main, 5);
    await clockAt(4);
    expect(answer(await runPrinted(engine, short.command, short.token))).toBe(currentUser[engine]('app_ro'));
    await clockAt(6);
    await expectRefused(short.command, short.token, 'app_ro', 'not-authorized');
  });
});

describe('the local servers’ TLS', () => {
  it('presents a certificate for its own RDS name only: a client expecting another name refuses it', async () => {
    const pg = inject('postgres');
    const maria = inject('mariadb');
    // The MariaDB server dialled under PostgreSQL's name: same CA, wrong name.
    const run = await runPrinted('mariadb', `MYSQL_PWD=unused mariadb --host=${pg.host} --port=${maria.port} --user=app_ro --ssl-ca=global-bundle.pem --ssl-verify-server-cert`, 'unused');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ERROR 2026 (HY000): TLS/SSL error: Validation of SSL server certificate failed');
  });
});
