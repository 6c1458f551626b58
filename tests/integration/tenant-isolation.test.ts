import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStsClient } from '#shared/adapters/aws/sts-role-assumer';
import { mainKeys } from '#shared/adapters/dynamodb/keys';
import { LogAction } from '#shared/grant-log/events';
import type { RequestStore } from '#shared/requests/ports';
import * as transitions from '#shared/requests/transitions';
import { getRequest } from '#shared/requests/use-cases';
import { target, user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { startIsolatedDynamo, type IsolatedDynamo } from '../support/tenant-front.ts';

// Tenant isolation by IAM, shown for real: the stores sign every call with the
// caller's tenant session (TenantData), the DynamoDB front verifies the signature
// and judges it by infra/iam.yml's TenantDataRole policy — LeadingKeys with
// ${aws:PrincipalTag/tenant} — before DynamoDB Local. A simulated bug (a port
// wrapper that swaps the tenant) gets as far as the DynamoDB call, and the call is
// refused there with DynamoDB's AccessDeniedException: our code never checks.

const admin = dynamoStores();
const t0 = new Date('2026-12-06T09:00:00.000Z');
let isolated: IsolatedDynamo;
let n = 0;

beforeAll(async () => {
  isolated = await startIsolatedDynamo();
});
afterAll(() => isolated?.close());

function newRequest(tenantId: string, requesterId = 'alice') {
  return transitions.createRequest({
    tenantId,
    requestId: `req_01JISO${String(++n).padStart(10, '0')}${process.pid}`,
    target: target(tenantId, 'tgt_01JISOTARGET00001'),
    databaseUser: 'app_ro',
    requester: user(tenantId, requesterId, ['requester']),
    durationMinutes: 60,
    reason: 'incident 42',
    now: t0,
  });
}

/** The simulated bug: a RequestStore that reads and writes `victim`'s keys whatever tenant it is asked for. */
function swapsTenantTo(victim: string, store: RequestStore): RequestStore {
  return {
    get: (_tenantId, requestId) => store.get(victim, requestId),
    save: (change, expectedVersion) => store.save(change, expectedVersion),
    listByStatus: (tenantId, status, page) => store.listByStatus(tenantId, status, page),
    listApprovedOnTarget: (tenantId, targetId) => store.listApprovedOnTarget(tenantId, targetId),
    listDue: (until, lookbackDays) => store.listDue(until, lookbackDays),
    listByRequester: (_tenantId, requester, page) => store.listByRequester(victim, requester, page),
    create: (change) => store.create({ ...change, next: { ...change.next, tenantId: victim } }),
    openBreakGlass: (change, quota) => store.openBreakGlass(change, quota),
    saveReview: (change, expectedVersion) => store.saveReview(change, expectedVersion),
    listUnreviewed: (tenantId, page) => store.listUnreviewed(tenantId, page),
  };
}

const accessDenied = { name: 'AccessDeniedException', $metadata: expect.objectContaining({ httpStatusCode: 400 }) };

describe('tenant isolation by IAM (TenantDataRole through the DynamoDB front)', () => {
  it('serves a tenant its own request through its tenant session', async () => {
    const tenant = freshTenant('own');
    const change = newRequest(tenant);
    await isolated.tenantData.run(tenant, () => isolated.requests.create(change));
    const alice = user(tenant, 'alice', ['requester']);
    await admin.targets.create(target(tenant, 'tgt_01JISOTARGET00001'), { tenantId: tenant, at: t0.toISOString(), action: LogAction.targetCreated, actorId: 'admin', actorKind: 'user', outcome: 'success' });
    const found = await isolated.tenantData.run(tenant, () => getRequest({ requests: isolated.requests, targets: isolated.targets }, alice, change.next.requestId));
    expect(found.requestId).toBe(change.next.requestId);
  });

  it('refuses, at the DynamoDB call, a read a bug aims at another tenant', async () => {
    const [victim, attacker] = [freshTenant('victim'), freshTenant('attacker')];
    const change = newRequest(victim);
    await admin.requests.create(change);
    const buggy = { requests: swapsTenantTo(victim, isolated.requests), targets: isolated.targets };
    const mallory = user(attacker, 'alice', ['requester']);

    const read = isolated.tenantData.run(attacker, () => getRequest(buggy, mallory, change.next.requestId));
    await expect(read).rejects.toMatchObject(accessDenied);
    await expect(read).rejects.toThrow(/assumed-role\/latchkey-local-tenant-data\/.* is not authorized to perform: dynamodb:BatchGetItem on resource: arn:aws:dynamodb:.*:table\/.*because no identity-based policy allows/);
    // Without the bug the same caller and the same id find nothing, and the victim's request is still there.
    await expect(isolated.tenantData.run(attacker, () => isolated.requests.get(attacker, change.next.requestId))).resolves.toBeUndefined();
    expect(await admin.requests.get(victim, change.next.requestId)).toEqual(change.next);
  });

  it('refuses a Query on an index keyed by another tenant (GSI1, a requester’s requests)', async () => {
    const [victim, attacker] = [freshTenant('victim'), freshTenant('attacker')];
    await admin.requests.create(newRequest(victim));
    const query = isolated.tenantData.run(attacker, () => swapsTenantTo(victim, isolated.requests).listByRequester(attacker, { kind: 'user', id: 'alice' }, { limit: 10 }));
    await expect(query).rejects.toMatchObject(accessDenied);
    await expect(query).rejects.toThrow(/dynamodb:Query on resource: arn:aws:dynamodb:.*\/index\/GSI1/);
  });

  it('refuses a transaction that writes another tenant’s request and event, and nothing is written', async () => {
    const [victim, attacker] = [freshTenant('victim'), freshTenant('attacker')];
    const change = newRequest(attacker);
    const write = isolated.tenantData.run(attacker, () => swapsTenantTo(victim, isolated.requests).create(change));
    await expect(write).rejects.toMatchObject(accessDenied);
    await expect(write).rejects.toThrow(/dynamodb:PutItem/);
    expect(await admin.requests.get(victim, change.next.requestId)).toBeUndefined();
    expect(await admin.events(victim)).toEqual([]);
  });

  it('refuses a tenant’s items to the functions’ own role outside any tenant session', async () => {
    const tenant = freshTenant('own');
    const change = newRequest(tenant);
    await admin.requests.create(change);
    const direct = isolated.own.send(new GetCommand({ TableName: isolated.tables.main, Key: mainKeys.request(tenant, change.next.requestId) }));
    await expect(direct).rejects.toMatchObject(accessDenied);
    // What it keeps: the SigV4 identity lookup (SVCROLE#…) and the sweeper's index of deadlines (DUE#…).
    await expect(isolated.own.send(new GetCommand({ TableName: isolated.tables.main, Key: mainKeys.serviceRole('123456789012', 'nobody') }))).resolves.toBeDefined();
    const due = new QueryCommand({ TableName: isolated.tables.main, IndexName: 'GSI3', KeyConditionExpression: 'GSI3PK = :b', ExpressionAttributeValues: { ':b': mainKeys.dueBucket(t0.toISOString()) } });
    await expect(isolated.own.send(due)).resolves.toBeDefined();
    // A Put of a tenant item is refused to the function role as well.
    const put = isolated.own.send(new PutCommand({ TableName: isolated.tables.main, Item: { ...mainKeys.request(tenant, 'req_x'), entity: 'request' } }));
    await expect(put).rejects.toMatchObject(accessDenied);
  });

  it('lets no session of the tenant-data role start without exactly one tenant tag', async () => {
    const region = 'eu-central-1';
    const own = isolated.standin.state.principals.values().next().value;
    if (!own) throw new Error('no function session');
    const { client: sts } = await createStsClient({ AWS_REGION: region, STS_ENDPOINT: isolated.standin.url }, own)();
    const roleArn = [...isolated.standin.state.roles.values()][0]?.arn;
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'untagged' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    const extra = new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'two-tags', Tags: [{ Key: 'tenant', Value: 'acme' }, { Key: 'team', Value: 'x' }] });
    await expect(sts.send(extra)).rejects.toMatchObject({ name: 'AccessDenied' });
    const ok = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'acme', Tags: [{ Key: 'tenant', Value: 'acme' }] }));
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('assumes the tenant-data role once per tenant and container, not once per call', async () => {
    const tenant = freshTenant('cache');
    const sessions = () => isolated.standin.state.issuedSessions.filter((s) => s.tags.tenant === tenant).length;
    for (let i = 0; i < 5; i++) await isolated.tenantData.run(tenant, () => isolated.requests.get(tenant, 'req_none'));
    await Promise.all(Array.from({ length: 10 }, () => isolated.tenantData.run(tenant, () => isolated.requests.get(tenant, 'req_none'))));
    expect(sessions()).toBe(1);
  });
});
