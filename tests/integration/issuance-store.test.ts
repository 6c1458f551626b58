import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoIntegrationStore } from '#shared/adapters/dynamodb/integration-store';
import { DynamoIssuanceStore } from '#shared/adapters/dynamodb/issuance-store';
import { mintingKeys } from '#shared/adapters/dynamodb/keys';
import type { ApprovedRequest } from '#shared/requests/access-request';
import type { LogEntry } from '#shared/grant-log/events';
import * as transitions from '#shared/requests/transitions';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import type { SessionRecord } from '#shared/minting/ports';
import { target, user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

const stores = dynamoStores();
const issuances = new DynamoIssuanceStore(stores.db, stores.tables, stores.log);
const integrations = new DynamoIntegrationStore(stores.db, stores.tables);
const t0 = new Date('2030-01-15T09:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let n = 0;

async function approvedRequest(tenantId: string, requestId = `req_01JISSUE${String(++n).padStart(8, '0')}${process.pid}`): Promise<ApprovedRequest> {
  const tgt = target(tenantId, 'tgt_01JTESTTARGET0001');
  const created = transitions.createRequest({
    tenantId, requestId, target: tgt, databaseUser: 'app_ro', requester: user(tenantId, 'alice', ['requester']), durationMinutes: 60, reason: 'incident 42', now: t0,
  });
  await stores.requests.create(created);
  const approved = transitions.approve(created.next, user(tenantId, 'bob', ['approver'], ['dba']), tgt.policy, t0);
  await stores.requests.save(approved, created.next.version);
  return approved.next as ApprovedRequest;
}

const entry = (request: ApprovedRequest, action: LogEntry['action'], when = at(1), details: Record<string, unknown> = {}): LogEntry => ({
  tenantId: request.tenantId, at: when.toISOString(), action, actorId: 'alice', actorKind: 'user', outcome: action === 'credentials.failed' ? 'failure' : 'success',
  requestId: request.requestId, targetId: request.targetId, databaseUser: request.databaseUser, requesterId: request.requesterId, details,
});

const session = (request: ApprovedRequest, sessionId: string, startedAt = at(1)): SessionRecord => ({
  tenantId: request.tenantId, requestId: request.requestId, sessionId, region: 'eu-central-1', instanceId: 'i-0123456789abcdef0',
  integrationId: 'int_01JTESTINTEGRATION1', startedAt: startedAt.toISOString(), status: 'active',
});

const actions = async (tenantId: string) => (await stores.events(tenantId)).map((e) => e.action);

describe('DynamoIssuanceStore against DynamoDB Local', () => {
  it('records the issued event and the SSM session in one transaction while the grant is approved at that version', async () => {
    const tenant = freshTenant();
    const request = await approvedRequest(tenant);

    await issuances.recordIssuance(request, request.version, entry(request, 'credentials.issued', at(1), { ssmSessionId: 'lk-s-1' }), [session(request, 'lk-s-1')]);

    expect(await actions(tenant)).toEqual(['request.created', 'request.approved', 'credentials.issued']);
    expect(await issuances.sessionsOf(tenant, request.requestId)).toEqual([session(request, 'lk-s-1')]);
    // The request item is untouched: an issuance is an event, not a state change.
    expect(await stores.requests.get(tenant, request.requestId)).toEqual(request);
  });

  it.each([
    ['revoked meanwhile', async (r: ApprovedRequest) => stores.requests.save(transitions.revoke(r, user(r.tenantId, 'bob', ['approver'], ['dba']), at(1)), r.version), 1],
    ['at a stale version (extension asked)', async (r: ApprovedRequest) => stores.requests.save(transitions.requestExtension(r, user(r.tenantId, 'alice', ['requester']), target(r.tenantId, 'x').policy, 30, at(1), 'more'), r.version), 1],
    ['past its window end', async () => undefined, 61],
  ])('writes nothing for a grant %s', async (_, change, minute) => {
    const tenant = freshTenant();
    const request = await approvedRequest(tenant);
    await change(request);
    const before = await actions(tenant);

    await expect(issuances.recordIssuance(request, request.version, entry(request, 'credentials.issued', at(minute)), [session(request, 'lk-s-2')])).rejects.toBeInstanceOf(ConcurrentModificationError);

    expect(await actions(tenant)).toEqual(before);
    expect(await issuances.sessionsOf(tenant, request.requestId)).toEqual([]);
  });

  it('records a failure event on its own', async () => {
    const tenant = freshTenant();
    const request = await approvedRequest(tenant);

    await issuances.recordFailure(entry(request, 'credentials.failed', at(1), { stage: 'assume-role', awsCode: 'AccessDenied' }));

    const events = await stores.events(tenant);
    expect(events.at(-1)).toMatchObject({ action: 'credentials.failed', outcome: 'failure', details: { awsCode: 'AccessDenied' } });
  });

  it("marks sessions terminated with one event, once; a second terminator writes nothing", async () => {
    const tenant = freshTenant();
    const request = await approvedRequest(tenant);
    const s = session(request, 'lk-s-3');
    await issuances.recordIssuance(request, request.version, entry(request, 'credentials.issued'), [s]);

    await issuances.recordTermination(entry(request, 'ssm.sessions_terminated', at(5)), [s]);
    await expect(issuances.recordTermination(entry(request, 'ssm.sessions_terminated', at(6)), [s])).rejects.toBeInstanceOf(ConcurrentModificationError);

    expect((await actions(tenant)).filter((a) => a === 'ssm.sessions_terminated')).toHaveLength(1);
    expect(await issuances.sessionsOf(tenant, request.requestId)).toEqual([{ ...s, status: 'terminated', terminatedAt: at(5).toISOString() }]);
  });

  it("lists one request's sessions oldest first, never a request whose id it prefixes", async () => {
    const tenant = freshTenant();
    const short = await approvedRequest(tenant, 'req_01JPREFIX0001');
    const long = await approvedRequest(tenant, 'req_01JPREFIX00010');
    await issuances.recordIssuance(short, short.version, entry(short, 'credentials.issued', at(2)), [session(short, 'z-later', at(2))]);
    await issuances.recordIssuance(short, short.version, entry(short, 'credentials.issued', at(1)), [session(short, 'a-earlier', at(1))]);
    await issuances.recordIssuance(long, long.version, entry(long, 'credentials.issued'), [session(long, 'other')]);

    expect((await issuances.sessionsOf(tenant, short.requestId)).map((s) => s.sessionId)).toEqual(['a-earlier', 'z-later']);
  });
});

describe('DynamoIntegrationStore against DynamoDB Local', () => {
  it("reads an integration by id within its tenant only, with the fields minting needs", async () => {
    const tenant = freshTenant();
    await stores.db.send(new PutCommand({
      TableName: stores.tables.main,
      Item: {
        ...mintingKeys.integration(tenant, 'int_01JTESTINTEGRATION1'), entity: 'integration', tenantId: tenant, integrationId: 'int_01JTESTINTEGRATION1',
        accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/LatchkeyAccess', externalId: 'lk-ext-abc', status: 'verified', cloudFormationUrl: 'https://example.com',
      },
    }));

    expect(await integrations.get(tenant, 'int_01JTESTINTEGRATION1')).toEqual({
      integrationId: 'int_01JTESTINTEGRATION1', tenantId: tenant, accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/LatchkeyAccess', externalId: 'lk-ext-abc', status: 'verified',
    });
    expect(await integrations.get(freshTenant(), 'int_01JTESTINTEGRATION1')).toBeUndefined();
  });

  it('reads the resources of the setup last handed out, which issuance checks the session policy against', async () => {
    const tenant = freshTenant();
    const resources = ['arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-ABC/app_ro'];
    await stores.db.send(new PutCommand({
      TableName: stores.tables.main,
      Item: {
        ...mintingKeys.integration(tenant, 'int_01JTESTINTEGRATION2'), entity: 'integration', tenantId: tenant, integrationId: 'int_01JTESTINTEGRATION2',
        accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/LatchkeyAccess', externalId: 'lk-ext-abc', status: 'verified',
        setup: { policyHash: 'h', resources, at: '2030-01-01T00:00:00.000Z', by: 'erin' },
      },
    }));

    expect(await integrations.get(tenant, 'int_01JTESTINTEGRATION2')).toMatchObject({ setupResources: resources });
  });
});

describe('SSM sessions outliving their grant, against DynamoDB Local', () => {
  it('stay due at the window’s end until ended, so the sweeper retries a termination that failed on revoke', async () => {
    const tenant = freshTenant();
    const request = await approvedRequest(tenant);
    await issuances.recordIssuance(request, request.version, entry(request, 'credentials.issued'), [session(request, 'lk-a-0123456789abcdef0')]);
    // Revoked, but ending its session failed: the session item is still active.
    await stores.requests.save(transitions.revoke(request, user(tenant, 'bob', ['approver'], ['dba']), at(2)), request.version);
    const dueAt = async (when: Date) => {
      const out: string[] = [];
      for await (const d of stores.requests.listDue(when, 1)) if (d.tenantId === tenant) out.push(d.requestId);
      return out;
    };
    expect(await dueAt(at(59))).toEqual([]);

    const ended: string[] = [];
    const { sweepDeadlines } = await import('#shared/requests/sweep-deadlines');
    const clock = { now: () => at(61) };
    // The sweep spans tenants (earlier tests of this file are due too): look at this tenant only.
    const result = await sweepDeadlines({ clock, requests: stores.requests }, { lookbackDays: 1, onGrantEnded: async (t, id) => void (t === tenant && ended.push(id)) });
    expect(ended).toEqual([request.requestId]);
    expect(result.leftovers).toBeGreaterThanOrEqual(1);

    await issuances.recordTermination(entry(request, 'ssm.sessions_terminated', at(61)), await issuances.sessionsOf(tenant, request.requestId));
    expect(await dueAt(at(61))).toEqual([]);
  });
});
