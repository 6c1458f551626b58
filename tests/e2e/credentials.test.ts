import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#dev/free-port';
import { api, type ApiClient } from '../support/api.ts';
import { dynamoStores } from '../support/dynamo.ts';
import { control, installAndVerify, linkAccount } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';
import { canConnect, echoServer, spawnPrinted, talk } from '../support/tunnel-process.ts';

// Issue credentials for an approved grant over HTTP, as the requester would,
// and judge what comes back the way RDS and SSM would (the stand-in's
// verifier and session table), through revocation.

const tenant = `creds-${Date.now().toString(36)}`;
const REGION = inject('region');
const DB = { hostname: 'payments.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-CREDENTIALSE2E0000000001', account: '310987654321' };
const BASTION = 'i-0c0ffee0c0ffee012';
const stores = dynamoStores();

let admin: ApiClient;
let alice: ApiClient;
let bob: ApiClient;
let carol: ApiClient;
let targetId: string;
/** Stands for the database behind the bastion: the stand-in forwards the target's endpoint to it. */
let database: Awaited<ReturnType<typeof echoServer>>;

afterAll(async () => {
  await database?.close();
});

beforeAll(async () => {
  database = await echoServer();
  admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  alice = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
  carol = api(await tokenFor({ sub: 'carol', tenant, roles: ['requester'] }));
  await control('databases', { ...DB, region: REGION, reachableAt: { host: '127.0.0.1', port: database.port } });
  await control('instances', { instanceId: BASTION, account: DB.account, region: REGION });
  const linked = await linkAccount(admin, 'payments', DB, { bastionInstanceId: BASTION, databaseUsers: ['app_ro', 'app_rw'] });
  await installAndVerify(admin, linked, `PaymentsAccess${Date.now()}`);
  targetId = linked.target.targetId;
});

async function approvedGrant(durationMinutes: number): Promise<string> {
  const created = await alice.post('/requests', { targetId, databaseUser: 'app_ro', durationMinutes, reason: 'reconcile, "Q4"\nledger' });
  expect(created.status).toBe(201);
  expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).body.status).toBe('approved');
  return created.body.requestId;
}

const verdict = (token: string, over: Record<string, unknown> = {}) =>
  control('verify-rds-token', { token, hostname: DB.hostname, port: DB.port, dbUser: 'app_ro', ...over });

describe('credentials for an approved grant', () => {
  it('opens a real tunnel with the printed plugin command, and revocation cuts the connection through it', async () => {
    const requestId = await approvedGrant(30);
    const localPortNumber = await freePort();
    const issued = await alice.post(`/requests/${requestId}/credentials`, { ssm: { localPortNumber } });
    expect(issued.status).toBe(201);
    const { pluginCommand, tokenValue } = issued.body.ssm;
    // The command exactly as Latchkey prints it; locally dev/bin/session-manager-plugin plays the plugin.
    const tunnel = spawnPrinted(pluginCommand);
    await tunnel.ready;
    const psql = await talk(localPortNumber);
    expect(await psql.say('SELECT 1;')).toBe('SELECT 1;');
    expect(database.sockets.size).toBe(1);

    expect((await bob.post(`/requests/${requestId}/revoke`, { note: 'cut it' })).body.status).toBe('revoked');

    await psql.closed;
    const exit = await tunnel.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('was terminated');
    expect(exit.stderr).not.toContain(tokenValue);
    await expect.poll(() => database.sockets.size).toBe(0);
    expect(await canConnect(localPortNumber)).toBe(false);
  });

  it('mints a token RDS accepts for that user only, at that host, for 15 minutes and never past the window', async () => {
    const requestId = await approvedGrant(5);
    const issued = await alice.post(`/requests/${requestId}/credentials`, {});
    expect(issued.status).toBe(201);
    const { token, expiresAt, command } = issued.body.database;
    expect(command).not.toContain(token);
    expect(issued.body.database).toMatchObject({ host: DB.hostname, port: DB.port, user: 'app_ro', sslmode: 'verify-full' });

    const issuedAt = Date.parse(issued.body.issuedAt);
    const at = (ms: number) => new Date(issuedAt + ms).toISOString();
    expect(await verdict(token)).toMatchObject({ ok: true, dbUser: 'app_ro' });
    expect(await verdict(token, { dbUser: 'app_rw' })).toMatchObject({ ok: false, reason: 'wrong-user' });
    expect(await verdict(token, { hostname: 'other.abcdefghijkl.eu-central-1.rds.amazonaws.com' })).toMatchObject({ ok: false, reason: 'wrong-host' });
    expect(await verdict(token, { at: at(16 * 60_000) })).toMatchObject({ ok: false, reason: 'expired' });
    // Usable until the earlier of the token's 15 minutes and the window's end: here the window.
    expect(expiresAt).toBe(issued.body.windowEnd);
    // The grant lasts 5 minutes; the token is still within its own 15, but the session policy's DateLessThan is not.
    expect(await verdict(token, { at: at(6 * 60_000) })).toMatchObject({ ok: false, reason: 'not-authorized' });
    expect(await verdict(token, { at: at(4 * 60_000) })).toMatchObject({ ok: true });
  });

  it('gives nothing to anyone but the requester', async () => {
    const requestId = await approvedGrant(30);
    for (const other of [bob, carol, admin]) expect([403, 404]).toContain((await other.post(`/requests/${requestId}/credentials`, {})).status);
    const elsewhere = api(await tokenFor({ sub: 'alice', tenant: `${tenant}-other`, roles: ['requester'] }));
    expect((await elsewhere.post(`/requests/${requestId}/credentials`, {})).status).toBe(404);
    const events = (await stores.events(tenant)).filter((e) => e.requestId === requestId);
    expect(events.some((e) => e.action.startsWith('credentials.'))).toBe(false);
  });

  it('after revocation issues nothing more and ends the grant’s SSM sessions, logging each step once and no secret', async () => {
    const requestId = await approvedGrant(30);
    const issued = await alice.post(`/requests/${requestId}/credentials`, { ssm: { localPortNumber: 15432 } });
    expect(issued.status).toBe(201);
    const { sessionId, tokenValue, pluginCommand } = issued.body.ssm;
    expect(pluginCommand).toContain('session-manager-plugin');
    const live = (await control('sessions')).sessions.find((s: { sessionId: string }) => s.sessionId === sessionId);
    expect(live).toMatchObject({ status: 'Connected', target: BASTION });

    const revoked = await bob.post(`/requests/${requestId}/revoke`, { note: 'incident closed' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', terminatedSessions: [sessionId], failedSessions: [] });
    const ended = (await control('sessions')).sessions.find((s: { sessionId: string }) => s.sessionId === sessionId);
    expect(ended.status).toBe('Terminated');

    const again = await alice.post(`/requests/${requestId}/credentials`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('grant_not_active');

    const events = (await stores.events(tenant)).filter((e) => e.requestId === requestId);
    expect(events.map((e) => e.action)).toEqual(['request.created', 'request.approved', 'credentials.issued', 'request.revoked', 'ssm.sessions_terminated']);
    const stored = JSON.stringify(events);
    for (const secret of [issued.body.database.token, tokenValue]) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/X-Amz-Signature|SecretAccessKey|SessionToken/i);
  });

  it('orders a revoke racing 20 issuances the same by seq and by time, with no issuance after the revoke', async () => {
    const requestId = await approvedGrant(30);
    const revoke = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return bob.post(`/requests/${requestId}/revoke`, { note: 'race' });
    })();
    const issued = await Promise.all(Array.from({ length: 20 }, () => alice.post(`/requests/${requestId}/credentials`, {})));
    expect((await revoke).status).toBe(200);
    expect(issued.every((r) => r.status === 201 || r.status === 409)).toBe(true);

    // One request is one chain: its events in seq order are also in time order.
    const chain = (await stores.events(tenant)).filter((e) => e.requestId === requestId).sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.at >= chain[i - 1]!.at).toBe(true);
    const revoked = chain.findIndex((e) => e.action === 'request.revoked');
    expect(revoked).toBeGreaterThan(0);
    const after = chain.slice(revoked + 1);
    expect(after.filter((e) => e.action === 'credentials.issued')).toEqual([]);
    expect(chain.filter((e) => e.action === 'credentials.issued' && e.at > chain[revoked]!.at)).toEqual([]);
    expect(chain.filter((e) => e.action === 'credentials.issued')).toHaveLength(issued.filter((r) => r.status === 201).length);
  });
});
