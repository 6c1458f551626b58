import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readStackFile } from '#dev/stack-file';
import { api, type ApiClient } from '../support/api.ts';
import { control, linkAccount } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';

// What a black-box probe of the running stack found, asked again over HTTP: each answer here was a
// 500, a 200 or a "verified" before its fix (issue 15, item 5).

const tenant = `probe-${Date.now().toString(36)}`;
const ACCOUNT = '313131313131';
const REGION = inject('region');
const DB = { hostname: 'probe.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-HARDENINGE2E00000000000001' };

let admin: ApiClient;
let brokerRoleArn: string;
/** A real target: the store is reached, where a role ARN the schema let through used to throw. */
let targetId: string;

beforeAll(async () => {
  admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  brokerRoleArn = (readStackFile(inject('latchkeyHome')) as { brokerRoleArn?: string }).brokerRoleArn!;
  await control('databases', { ...DB, region: REGION, account: ACCOUNT });
  targetId = (await linkAccount(admin, 'services', { ...DB, account: ACCOUNT })).target.targetId;
});

describe('POST /services with role ARNs IAM would never accept', () => {
  it.each([
    ['a path with no name', 'arn:aws:iam::123456789012:role/path/'],
    ['an empty path segment', 'arn:aws:iam::123456789012:role//x'],
    ['a 65-character name', `arn:aws:iam::123456789012:role/${'a'.repeat(65)}`],
  ])('answers 400 naming roleArn for %s, not 500', async (_case, roleArn) => {
    const answer = await admin.post('/services', { roleArn, name: 'probe', access: [{ targetId, databaseUsers: ['app_ro'] }] });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'validation_failed' });
    expect(JSON.stringify(answer.body.details)).toContain('roleArn');
  });
});

describe('roles claims that hold more than one name in one value', () => {
  it.each<[string, unknown]>([
    ['the string "[requester admin]"', '[requester admin]'],
    ['the array ["requester,admin"]', ['requester,admin']],
    ['the array ["requester admin"]', ['requester admin']],
    ['the string "requester,admin"', 'requester,admin'],
  ])('refuses %s with 401 instead of reading admin', async (_case, roles) => {
    const caller = api(await tokenFor({ sub: 'mallory', tenant, roles: [], claims: { roles } }));

    const answer = await caller.get('/integrations');

    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: 'unauthenticated', message: expect.stringContaining('"roles" claim') });
  });

  it('reads a real list of roles', async () => {
    const caller = api(await tokenFor({ sub: 'ada', tenant, roles: ['requester', 'admin'] }));

    expect((await caller.get('/me')).body).toMatchObject({ roles: ['requester', 'admin'] });
    expect((await caller.get('/integrations')).status).toBe(200);
  });
});

describe('a __proto__ query parameter', () => {
  it('is an unknown parameter like any other (400), as API Gateway passes it on', async () => {
    expect((await admin.get('/integrations?foo=x')).status).toBe(400);
    const answer = await admin.get('/integrations?__proto__=x');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'validation_failed' });
  });
});

describe('verifying a role that trusts more than the broker role', () => {
  it.each<[string, (broker: string) => unknown]>([
    ['Principal "*" with the right external ID', () => '*'],
    ["the broker account's root", (broker) => ({ AWS: `arn:aws:iam::${broker.split(':')[4]}:root` })],
  ])('refuses %s (trust_too_broad), saying how to fix it', async (_case, principalOf) => {
    const linked = await linkAccount(admin, `broad-${Math.random().toString(36).slice(2, 8)}`, { ...DB, account: ACCOUNT });
    const trust = structuredClone(linked.setup.trustPolicy);
    trust.Statement[0].Principal = principalOf(brokerRoleArn);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/latchkey/Broad-${linked.integration.integrationId}`;
    await control('roles', { arn: roleArn, trustPolicy: trust, permissionPolicies: [linked.setup.permissionPolicy] });
    expect((await admin.put(`/integrations/${linked.integration.integrationId}/role`, { roleArn })).status).toBe(200);

    const verified = await admin.post(`/integrations/${linked.integration.integrationId}/verify`);

    expect(verified.body).toMatchObject({ status: 'failed', verification: { outcome: 'failed', reason: 'trust_too_broad' } });
    expect(verified.body.verification.message).toContain(`exactly {"AWS": "${brokerRoleArn}"}`);
  });

  it('still verifies a role that trusts exactly the broker role', async () => {
    const linked = await linkAccount(admin, `exact-${Math.random().toString(36).slice(2, 8)}`, { ...DB, account: ACCOUNT });
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/latchkey/Exact-${linked.integration.integrationId}`;
    await control('roles', { arn: roleArn, trustPolicy: linked.setup.trustPolicy, permissionPolicies: [linked.setup.permissionPolicy] });
    await admin.put(`/integrations/${linked.integration.integrationId}/role`, { roleArn });

    const verified = await admin.post(`/integrations/${linked.integration.integrationId}/verify`);

    expect(verified.body).toMatchObject({ status: 'verified' });
    expect(verified.body.verification.checks.at(-1)).toMatchObject({ probe: 'from-another-principal', observed: 'denied' });
  });
});
