import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest } from '#shared/requests/access-request';
import type { SessionPolicy } from '#shared/iam/session-policy';
import type { Principal } from '#shared/kernel/principal';
import * as transitions from '#shared/requests/transitions';
import { ConcurrentModificationError, ForbiddenError, NotFoundError } from '#shared/kernel/errors';
import {
  GrantNotActiveError, GrantOutsideSetupError, IntegrationNotVerifiedError, IssuanceNotRecordedError, NoBastionError, PackedPolicyTooLargeError, UpstreamError,
} from '#shared/minting/errors';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { terminateGrantSessions } from '#shared/minting/terminate-grant-sessions';
import { permissionResources, resourceList } from '#shared/iam/permission-policy';
import {
  EXTERNAL_ID, INTEGRATION_ID, T0, ROLE_ARN, TENANT, DB_TOKEN, SECRET_KEY, SESSION_TOKEN, TOKEN_VALUE, aTarget, anIntegration, approvedGrant, approver, at,
  fakeMintingDeps, pendingGrant, requester, secrets, type FakeMintingDeps,
} from '../../support/minting-world.ts';

let deps: FakeMintingDeps;
const REQ = 'req_0000000001';

beforeEach(() => {
  deps = fakeMintingDeps();
  deps.requests.seed(approvedGrant(60)); // window T0 .. T0+60 min; the clock stands at T0
});

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

function expectNoSecrets(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function expectNothingIssued(): void {
  expect(deps.roleAssumer.calls).toHaveLength(0);
  expect(deps.tokenSigner.calls).toHaveLength(0);
  expect(deps.sessionStarter.started).toHaveLength(0);
  expect(deps.issuances.events).toHaveLength(0);
}

describe('issueCredentials: happy path', () => {
  it('assumes the role once with the external id, request-named session, requester identity, tags, clamped duration and session policy', async () => {
    await issueCredentials(deps, requester, { requestId: REQ });

    expect(deps.roleAssumer.calls).toHaveLength(1);
    const call = deps.roleAssumer.calls[0]!;
    expect(call).toMatchObject({ roleArn: ROLE_ARN, externalId: EXTERNAL_ID, sessionName: `lk-${REQ}`, durationSeconds: 3600 });
    expect(call.sourceIdentity).toMatch(/^auth0_alice=[0-9a-f]{24}$/);
    expect(call.tags.map((t) => t.key)).toEqual(['latchkey:tenant', 'latchkey:request', 'latchkey:requester', 'latchkey:target', 'latchkey:db-user']);
    const policy = JSON.parse(call.policy) as SessionPolicy;
    expect(policy.Statement.map((s) => s.Resource)).toEqual(['arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/app_ro']);
    expect(policy.Statement.every((s) => s.Condition.DateLessThan?.['aws:CurrentTime'] === '2030-01-15T10:00:00Z')).toBe(true);
  });

  it('signs the token for the target endpoint and database user with the assumed credentials, valid 15 minutes', async () => {
    const issued = await issueCredentials(deps, requester, { requestId: REQ });

    expect(deps.tokenSigner.calls).toEqual([
      expect.objectContaining({ hostname: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, region: 'eu-central-1', username: 'app_ro', credentials: expect.objectContaining({ secretAccessKey: SECRET_KEY }) }),
    ]);
    expect(issued.database).toMatchObject({ token: DB_TOKEN, user: 'app_ro', sslmode: 'verify-full', expiresAt: at(15).toISOString() });
    expect(issued.database.command).not.toContain(DB_TOKEN);
    expect(issued.ssm).toBeUndefined();
  });

  it('never says the token lives past the window', async () => {
    deps.clock.set(at(55));

    const issued = await issueCredentials(deps, requester, { requestId: REQ });

    expect(issued.database.expiresAt).toBe(at(60).toISOString());
    expect(deps.roleAssumer.calls[0]!.durationSeconds).toBe(900);
  });

  it('writes exactly one credentials.issued event, holding ids and no secret', async () => {
    const issued = await issueCredentials(deps, requester, { requestId: REQ, ssm: {} });

    expect(deps.issuances.actions()).toEqual(['credentials.issued']);
    const event = deps.issuances.events[0]!;
    expect(event).toMatchObject({ tenantId: TENANT, requestId: REQ, actorId: requester.id, outcome: 'success', databaseUser: 'app_ro' });
    expect(event.details).toMatchObject({
      assumedRoleId: `AROAFAKEROLEID0000001:lk-${REQ}`,
      sourceIdentity: issued.audit.sourceIdentity,
      ssmSessionId: issued.audit.ssmSessionId,
      packedPolicySize: 42,
      integrationId: INTEGRATION_ID,
    });
    // Tags are the event's own fields but the requester (`auth0|alice` is no tag value): only that one is spelled out.
    const sent = deps.roleAssumer.calls[0]!.tags;
    expect(sent.map((t) => t.value)).toEqual([event.tenantId, event.requestId, sent[2]!.value, event.targetId, event.databaseUser]);
    expect(event.details!.sessionTags).toEqual({ 'latchkey:requester': sent[2]!.value });
    // The assumed-role id ends in the session name, and the ARN is the role's in sts with it: neither is repeated.
    expect(issued.audit.assumedRoleId).toBe(`AROAFAKEROLEID0000001:${issued.audit.sessionName}`);
    expect(event.details).not.toHaveProperty('sessionName');
    expect(event.details).not.toHaveProperty('assumedRoleArn');
    expectNoSecrets(deps.issuances.events);
    expect(JSON.stringify(event)).not.toContain('SECRET-REASON');
  });

  it('records no session tags when every tag value is its field as it stands', async () => {
    const plain = 'alice';
    deps.requests.seed({ ...approvedGrant(60), requesterId: plain });
    await issueCredentials(deps, { ...requester, id: plain }, { requestId: REQ });

    const event = deps.issuances.events[0]!;
    expect(deps.roleAssumer.calls[0]!.tags.map((t) => t.value)).toEqual([event.tenantId, event.requestId, plain, event.targetId, event.databaseUser]);
    expect(event.details).not.toHaveProperty('sessionTags');
  });

  it('starts a port-forwarding session through the bastion when asked, and hands back the TokenValue and plugin command', async () => {
    const issued = await issueCredentials(deps, requester, { requestId: REQ, ssm: { localPortNumber: 15432 } });

    expect(deps.sessionStarter.started).toEqual([
      expect.objectContaining({ region: 'eu-central-1', instanceId: 'i-0123456789abcdef0', host: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', portNumber: 5432, localPortNumber: 15432 }),
    ]);
    const policy = JSON.parse(deps.roleAssumer.calls[0]!.policy) as SessionPolicy;
    expect(policy.Statement.map((s) => s.Action)).toEqual(['rds-db:connect', 'ssm:StartSession', 'ssm:TerminateSession']);
    expect(issued.ssm).toMatchObject({ tokenValue: TOKEN_VALUE, localPortNumber: 15432 });
    expect(issued.ssm!.pluginCommand).toContain(TOKEN_VALUE);
    expect(issued.ssm!.command).not.toContain(DB_TOKEN);
    expect(await deps.issuances.sessionsOf(TENANT, REQ)).toEqual([expect.objectContaining({ sessionId: issued.audit.ssmSessionId, status: 'active', instanceId: 'i-0123456789abcdef0' })]);
  });

  it("forwards to the database's own port locally when no local port is given", async () => {
    const issued = await issueCredentials(deps, requester, { requestId: REQ, ssm: {} });
    expect(issued.ssm!.localPortNumber).toBe(5432);
  });
});

describe('issueCredentials: only the requester of an open grant', () => {
  const others: [string, Principal][] = [
    ['the approver who approved it', approver],
    ['an admin of the tenant', { ...requester, id: 'admin-1', roles: ['admin', 'approver', 'auditor'] }],
    ['the same subject in another tenant', { ...requester, tenantId: 'globex' }],
    ['a service principal', { id: 'arn:aws:iam::444455556666:role/etl', kind: 'service', tenantId: TENANT, roles: ['requester'], groups: [] }],
    // Ids are only unique within a kind: a service whose id spells the person's sub is not that person.
    ['a service whose id equals the requester’s sub', { ...requester, kind: 'service' }],
  ];

  it('answers 404 to a person whose sub spells the ARN of the service that asked, and issues nothing', async () => {
    const service: Principal = {
      id: 'arn:aws:iam::444455556666:role/etl', kind: 'service', tenantId: TENANT, roles: ['requester'], groups: [],
      scope: { access: [{ targetId: aTarget().targetId, databaseUsers: ['app_ro'] }], autoApprove: true },
    };
    const grant = transitions.createRequest({
      tenantId: TENANT, requestId: REQ, target: aTarget(), databaseUser: 'app_ro', requester: service, durationMinutes: 60, reason: 'nightly load', now: at(0), autoApproval: 'service-registration',
    }).next;
    deps.requests.seed(grant);
    const impostor: Principal = { id: service.id, kind: 'user', tenantId: TENANT, roles: ['requester'], groups: [] };

    expect(await refusal(issueCredentials(deps, impostor, { requestId: REQ }))).toBeInstanceOf(NotFoundError);
    expectNothingIssued();
    await issueCredentials(deps, service, { requestId: REQ });
    expect(deps.issuances.events).toHaveLength(1);
  });

  it.each(others)('answers 404 to %s, and issues nothing', async (_, principal) => {
    expect(await refusal(issueCredentials(deps, principal, { requestId: REQ }))).toBeInstanceOf(NotFoundError);
    expectNothingIssued();
  });

  it('answers 404 for a request that does not exist', async () => {
    expect(await refusal(issueCredentials(deps, requester, { requestId: 'req_9999999999' }))).toBeInstanceOf(NotFoundError);
    expectNothingIssued();
  });

  const notOpen: [string, () => AccessRequest][] = [
    ['pending', () => pendingGrant()],
    ['denied', () => transitions.deny(pendingGrant(), approver, at(1)).next],
    ['cancelled', () => transitions.cancel(pendingGrant(), requester, at(1)).next],
    ['expired', () => transitions.expire(pendingGrant(), at(24 * 60 + 1)).next],
    ['revoked', () => transitions.revoke(approvedGrant(), approver, at(1)).next],
    ['ended', () => transitions.end(approvedGrant(), at(60)).next],
  ];

  it.each(notOpen)('refuses a %s request: GrantNotActiveError, nothing issued, no event', async (status, build) => {
    const request = build();
    expect(request.status).toBe(status);
    deps.requests.seed(request);

    const error = await refusal(issueCredentials(deps, requester, { requestId: REQ }));

    expect(error).toBeInstanceOf(GrantNotActiveError);
    expect((error as GrantNotActiveError).code).toBe('grant_not_active');
    expectNothingIssued();
  });

  const noLonger: [string, () => void, Principal][] = [
    ['lost the requester role in the IdP', () => {}, { ...requester, roles: [] }],
    ['is no longer in a group the policy lets request', () => deps.targets.seed(aTarget({ policy: { ...aTarget().policy, requesters: { groups: ['finance'], principals: [] } } })), requester],
    ['asked for a database user the target no longer offers', () => deps.targets.seed(aTarget({ databaseUsers: ['app_rw'], policy: { ...aTarget().policy, autoApprove: [] } })), requester],
  ];

  it.each(noLonger)('refuses (403) a requester who %s since the approval, and issues nothing', async (_, change, principal) => {
    change();

    expect(await refusal(issueCredentials(deps, principal, { requestId: REQ }))).toBeInstanceOf(ForbiddenError);
    expectNothingIssued();
  });

  it('refuses an approved grant whose window has passed though the sweeper has not ended it yet', async () => {
    deps.clock.set(at(60));

    expect(await refusal(issueCredentials(deps, requester, { requestId: REQ }))).toBeInstanceOf(GrantNotActiveError);
    expectNothingIssued();
  });
});

describe('issueCredentials: the linked account', () => {
  it.each([
    ['the target is not linked', () => deps.targets.seed(aTarget({ integrationId: undefined }))],
    ['the integration does not exist', () => deps.integrations.items.clear()],
    ['the integration is pending', () => deps.integrations.seed(anIntegration({ status: 'pending' }))],
    ['the integration failed verification', () => deps.integrations.seed(anIntegration({ status: 'failed' }))],
    ['the integration is for another account', () => deps.integrations.seed(anIntegration({ accountId: '999988887777' }))],
  ])('refuses when %s, before any AWS call', async (_, arrange) => {
    arrange();

    expect(await refusal(issueCredentials(deps, requester, { requestId: REQ }))).toBeInstanceOf(IntegrationNotVerifiedError);
    expectNothingIssued();
  });

  it('refuses an SSM tunnel for a target without a bastion, before any AWS call', async () => {
    deps.targets.seed(aTarget({ bastionInstanceId: undefined }));

    expect(await refusal(issueCredentials(deps, requester, { requestId: REQ, ssm: {} }))).toBeInstanceOf(NoBastionError);
    expectNothingIssued();
  });
});

describe('issueCredentials: the setup the customer was handed', () => {
  const handed = (overrides: Parameters<typeof aTarget>[0]) => deps.integrations.seed(anIntegration({ setup: { policyHash: 'h', resources: resourceList(permissionResources([aTarget(overrides)])), at: T0, by: 'admin' } }));
  const dbUserArn = 'arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/app_ro';

  it.each<[string, () => void, { ssm?: {} }, { action: string; resource: string }[], boolean]>([
    ['a database user added after the setup was handed out', () => handed({ databaseUsers: ['app_rw'] }), {}, [{ action: 'rds-db:connect', resource: dbUserArn }], true],
    ['a bastion added after the setup was handed out', () => handed({ bastionInstanceId: undefined }), { ssm: {} }, [
      { action: 'ssm:StartSession', resource: 'arn:aws:ec2:eu-central-1:111122223333:instance/i-0123456789abcdef0' },
      { action: 'ssm:StartSession', resource: 'arn:aws:ssm:eu-central-1::document/AWS-StartPortForwardingSessionToRemoteHost' },
      { action: 'ssm:TerminateSession', resource: 'arn:aws:ssm:eu-central-1:111122223333:session/*' },
    ], true],
    ['an integration no setup was ever handed out for', () => deps.integrations.seed({ ...anIntegration(), setup: undefined }), {}, [{ action: 'rds-db:connect', resource: dbUserArn }], false],
  ])('refuses %s before AssumeRole, naming the excess, and logs credentials.failed', async (_, arrange, ssm, excess, setupHandedOut) => {
    arrange();

    const error = await refusal(issueCredentials(deps, requester, { requestId: REQ, ...ssm }));

    expect(error).toBeInstanceOf(GrantOutsideSetupError);
    expect(error).toMatchObject({ code: 'grant_outside_setup', details: { excess, setupHandedOut } });
    expect(deps.roleAssumer.calls).toHaveLength(0);
    expect(deps.tokenSigner.calls).toHaveLength(0);
    expect(deps.issuances.actions()).toEqual(['credentials.failed']);
    expect(deps.issuances.events[0]).toMatchObject({ outcome: 'failure', details: { stage: 'session-policy', error: 'grant_outside_setup', excess, sessionName: `lk-${REQ}` } });
    expectNoSecrets([deps.issuances.events, error]);
  });

  it('issues without a tunnel when only the bastion is missing from the setup', async () => {
    handed({ bastionInstanceId: undefined });

    await issueCredentials(deps, requester, { requestId: REQ });
    expect(deps.issuances.actions()).toEqual(['credentials.issued']);
  });
});

describe('issueCredentials: when AWS or the log fails', () => {
  it('logs an STS refusal as credentials.failed with the AWS code only, and issues nothing', async () => {
    deps.roleAssumer.failWith = 'AccessDenied';

    const error = await refusal(issueCredentials(deps, requester, { requestId: REQ }));

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'upstream_failed', details: { service: 'sts', operation: 'AssumeRole', awsCode: 'AccessDenied' } });
    expect(deps.issuances.actions()).toEqual(['credentials.failed']);
    expect(deps.issuances.events[0]).toMatchObject({ outcome: 'failure', details: { stage: 'assume-role', awsCode: 'AccessDenied', sessionName: `lk-${REQ}` } });
    expect(deps.tokenSigner.calls).toHaveLength(0);
    expectNoSecrets(deps.issuances.events);
  });

  it('logs an SSM refusal as credentials.failed, issues nothing and returns no token', async () => {
    deps.sessionStarter.failStartWith = 'TargetNotConnected';

    const error = await refusal(issueCredentials(deps, requester, { requestId: REQ, ssm: {} }));

    expect(error).toMatchObject({ code: 'upstream_failed', details: { service: 'ssm', awsCode: 'TargetNotConnected' } });
    expect(deps.issuances.actions()).toEqual(['credentials.failed']);
    expect(deps.issuances.events[0]).toMatchObject({ outcome: 'failure', details: { stage: 'start-session', awsCode: 'TargetNotConnected' } });
    expectNoSecrets([deps.issuances.events, error]);
  });

  it('refuses when STS reports the packed policy near its limit, and logs the failure', async () => {
    deps.roleAssumer.packedPolicySize = 95;

    expect(await refusal(issueCredentials(deps, requester, { requestId: REQ }))).toBeInstanceOf(PackedPolicyTooLargeError);
    expect(deps.issuances.actions()).toEqual(['credentials.failed']);
    expect(deps.issuances.events[0]!.details).toMatchObject({ stage: 'assume-role', error: 'packed_policy_too_large', assumedRoleId: `AROAFAKEROLEID0000001:lk-${REQ}` });
    expect(deps.tokenSigner.calls).toHaveLength(0);
  });

  it('returns no credentials and ends the SSM session when the log cannot be written', async () => {
    deps.issuances.down = true;

    const error = await refusal(issueCredentials(deps, requester, { requestId: REQ, ssm: {} }));

    expect(error).toBeInstanceOf(IssuanceNotRecordedError);
    expectNoSecrets(error);
    expect(deps.sessionStarter.started).toHaveLength(1);
    expect(deps.sessionStarter.open()).toEqual([]);
    expect(deps.issuances.events).toEqual([]);
    expect(deps.issuances.sessions.size).toBe(0);
  });

  it('returns no credentials and ends the SSM session when the grant is revoked meanwhile', async () => {
    deps.issuances.beforeRecord = () => deps.requests.seed(transitions.revoke(approvedGrant(), approver, at(0)).next);

    const error = await refusal(issueCredentials(deps, requester, { requestId: REQ, ssm: {} }));

    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect(deps.sessionStarter.open()).toEqual([]);
    expect(deps.issuances.actions()).toEqual(['credentials.failed']);
    expect(deps.issuances.events[0]).toMatchObject({ outcome: 'failure', details: { stage: 'record', ssmSessionTerminated: true } });
    expect(deps.issuances.sessions.size).toBe(0);
  });

  it('refuses a grant whose version moved (an extension asked) between read and write', async () => {
    deps.issuances.beforeRecord = () => deps.requests.seed(transitions.requestExtension(approvedGrant(), requester, aTarget().policy, 30, at(0), 'more').next);

    expect(await refusal(issueCredentials(deps, requester, { requestId: REQ }))).toBeInstanceOf(ConcurrentModificationError);
    expect(deps.issuances.actions()).not.toContain('credentials.issued');
  });
});

describe('terminateGrantSessions', () => {
  beforeEach(async () => {
    await issueCredentials(deps, requester, { requestId: REQ, ssm: {} });
    deps.requests.seed(transitions.revoke(approvedGrant(), approver, at(5)).next);
    deps.clock.set(at(5));
  });

  it("ends the grant's sessions as the same session name, with a TerminateSession-only policy, and logs one event", async () => {
    const [sessionId] = deps.sessionStarter.open();

    const result = await terminateGrantSessions(deps, TENANT, REQ, 'revoked');

    expect(result).toEqual({ terminated: [sessionId], failed: [] });
    expect(deps.sessionStarter.open()).toEqual([]);
    const call = deps.roleAssumer.calls[1]!;
    expect(call).toMatchObject({ sessionName: `lk-${REQ}`, externalId: EXTERNAL_ID, durationSeconds: 900 });
    expect((JSON.parse(call.policy) as SessionPolicy).Statement.map((s) => s.Action)).toEqual(['ssm:TerminateSession']);
    expect(deps.issuances.actions()).toEqual(['credentials.issued', 'ssm.sessions_terminated']);
    expect(deps.issuances.events[1]).toMatchObject({ outcome: 'success', actorKind: 'system', details: { reason: 'revoked', ssmSessionIds: [sessionId] } });
    expect(await deps.issuances.sessionsOf(TENANT, REQ)).toEqual([expect.objectContaining({ status: 'terminated' })]);
    expectNoSecrets(deps.issuances.events);
  });

  it('stands down without an error when another terminator records the same sessions first (revoke racing the sweeper)', async () => {
    const [sessionId] = deps.sessionStarter.open();
    const record = deps.issuances.recordTermination.bind(deps.issuances);
    // The sweeper ends and records the session between our SSM call and our record.
    deps.issuances.recordTermination = async (entry, sessions) => {
      await record({ ...entry, actorId: 'sweeper' }, sessions);
      return record(entry, sessions);
    };

    const result = await terminateGrantSessions(deps, TENANT, REQ, 'revoked');

    expect(result).toEqual({ terminated: [sessionId], failed: [] });
    expect(deps.issuances.actions()).toEqual(['credentials.issued', 'ssm.sessions_terminated']);
  });

  it('does nothing, and logs nothing, the second time', async () => {
    await terminateGrantSessions(deps, TENANT, REQ, 'revoked');
    const calls = deps.roleAssumer.calls.length;

    expect(await terminateGrantSessions(deps, TENANT, REQ, 'window_ended')).toEqual({ terminated: [], failed: [] });
    expect(deps.roleAssumer.calls).toHaveLength(calls);
    expect(deps.issuances.actions()).toEqual(['credentials.issued', 'ssm.sessions_terminated']);
  });

  it('logs a failure naming the AWS code and keeps the session active for the next try', async () => {
    deps.sessionStarter.failTerminateWith = 'AccessDeniedException';

    const result = await terminateGrantSessions(deps, TENANT, REQ, 'revoked');

    expect(result.failed).toEqual([{ sessionId: expect.any(String), error: 'AccessDeniedException' }]);
    expect(deps.issuances.events[1]).toMatchObject({ action: 'ssm.sessions_terminated', outcome: 'failure' });
    expect(await deps.issuances.sessionsOf(TENANT, REQ)).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('keeps the secrets of the issuance out of the termination event', async () => {
    await terminateGrantSessions(deps, TENANT, REQ, 'revoked');
    for (const secret of [SECRET_KEY, SESSION_TOKEN, TOKEN_VALUE, EXTERNAL_ID]) expect(JSON.stringify(deps.issuances.events)).not.toContain(secret);
  });
});

describe('issueCredentials: metrics (through the Metrics port)', () => {
  const ids = { tenantId: TENANT, requestId: REQ };

  it.each<[string, { ssm?: Record<string, never> }, boolean]>([
    ['without a tunnel', {}, false],
    ['with an SSM tunnel', { ssm: {} }, true],
  ])('counts an issuance %s by engine and tunnel, with the ids apart from the dimensions', async (_what, extra, tunnel) => {
    await issueCredentials(deps, requester, { requestId: REQ, ...extra });

    expect(deps.metrics.recorded).toEqual([{ metric: 'credentialsIssued', value: { engine: 'postgres', tunnel }, ids }]);
    expectNoSecrets(deps.metrics.recorded);
  });

  it.each<[string, (d: FakeMintingDeps) => void, { ssm?: Record<string, never> }, { service: 'sts' | 'ssm'; operation: string; errorCode: string }]>([
    ['an STS refusal', (d) => (d.roleAssumer.failWith = 'AccessDenied'), {}, { service: 'sts', operation: 'AssumeRole', errorCode: 'AccessDenied' }],
    ['an SSM refusal', (d) => (d.sessionStarter.failStartWith = 'TargetNotConnected'), { ssm: {} }, { service: 'ssm', operation: 'StartSession', errorCode: 'TargetNotConnected' }],
  ])('counts %s by operation and AWS code, and no issuance', async (_what, fail, extra, failure) => {
    fail(deps);

    await refusal(issueCredentials(deps, requester, { requestId: REQ, ...extra }));

    expect(deps.metrics.recorded).toEqual([{ metric: 'awsCallFailed', value: failure, ids }]);
  });

  it('counts nothing when the issuance could not be logged (no credentials were handed out)', async () => {
    deps.issuances.down = true;

    await refusal(issueCredentials(deps, requester, { requestId: REQ }));

    expect(deps.metrics.recorded).toEqual([]);
  });

  it('counts an SSM refusal to end a session (terminateGrantSessions)', async () => {
    await issueCredentials(deps, requester, { requestId: REQ, ssm: {} });
    deps.requests.seed(transitions.revoke(approvedGrant(), approver, at(5)).next);
    deps.sessionStarter.failTerminateWith = 'AccessDeniedException';

    await terminateGrantSessions(deps, TENANT, REQ, 'revoked');

    expect(deps.metrics.recorded.at(-1)).toEqual({ metric: 'awsCallFailed', value: { service: 'ssm', operation: 'TerminateSession', errorCode: 'AccessDeniedException' }, ids });
  });
});
