import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trustProbeRole } from '#dev/aws-standin-hook';
import { verifyRdsToken } from '#dev/aws-standin/rds-verifier';
import { startAwsStandin, type AwsStandin } from '#dev/aws-standin/server';
import { StandinState } from '#dev/aws-standin/state';
import type { PolicyDocument as StandinPolicy } from '#dev/aws-standin/policy-schema';
import { RdsTokenSigner } from '#shared/adapters/aws/rds-token-signer';
import { SsmSessionStarter } from '#shared/adapters/aws/ssm-session-starter';
import { createStsClient, StsRoleAssumer } from '#shared/adapters/aws/sts-role-assumer';
import { DENY_ALL_POLICY, onlyAskFor, StsRoleProbe } from '#shared/adapters/aws/sts-role-probe';
import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { LogAction } from '#shared/grant-log/events';
import { sessionNameFor, sessionTagsFor, sourceIdentityFor } from '#shared/iam/session-naming';
import { sessionPolicyFor } from '#shared/iam/session-policy';
import { targetInputSchema } from '#shared/targets/target';
import type { IntegrationDeps } from '#shared/integrations/deps';
import type { IntegrationReader } from '#shared/minting/ports';
import { createIntegration, registerIntegrationRole } from '#shared/integrations/use-cases';
import { integrationSetup, type SetupResult } from '#shared/integrations/get-setup';
import { allResources } from '#shared/integrations/setup';
import { createTarget } from '#shared/targets/use-cases';
import { verifyIntegration } from '#shared/integrations/verify-integration';
import { policy, targetInput, user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

// Verification against the AWS stand-in (started here, in-process) and DynamoDB
// Local (from the global setup): the customer's role is installed with EXACTLY
// the policies the setup emitted, then verified by the real STS probe as the
// broker, whose own IAM policy is the deployed one (SourceIdentity required).
// Afterwards the issuance path is exercised through that role, so the emitted
// permission policy is shown to allow what minting does, and no more.

const REGION = 'eu-central-1';
const ACCOUNT = '111122223333';
const BROKER_ACCOUNT = '999900001111';
const BROKER_ROLE = `arn:aws:iam::${BROKER_ACCOUNT}:role/latchkey-test-broker`;
const TRUST_PROBE_ROLE = `arn:aws:iam::${BROKER_ACCOUNT}:role/latchkey-test-trust-probe`;
const BROKER_KEYS = { accessKeyId: 'ASIABROKERVERIFY0001', secretAccessKey: 'broker/secret/of/the/verify/lambda', sessionToken: 'IQoJb3JpZ2luBrokerVerifySession+/==' };
const CUSTOMER_ROLE = `arn:aws:iam::${ACCOUNT}:role/latchkey/LatchkeyAccess`;
const DB = { hostname: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-VERIFYTEST0000000000001' };
const INSTANCE_ID = 'i-0aaaabbbbccccdddd';

const stores = dynamoStores();
let standin: AwsStandin;
let state: StandinState;
let deps: IntegrationDeps;

beforeEach(async () => {
  state = new StandinState();
  // The broker as deployed (infra/iam.yml BrokerRole): AssumeRole/TagSession/SetSourceIdentity on any role, SourceIdentity required.
  state.addRole({
    arn: BROKER_ROLE,
    trustPolicy: { Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' } },
    permissionPolicies: [{ Statement: { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: 'arn:aws:iam::*:role/*', Condition: { Null: { 'sts:SourceIdentity': 'false' } } } }],
  });
  state.addPrincipalCredentials({ arn: `arn:aws:sts::${BROKER_ACCOUNT}:assumed-role/latchkey-test-broker/latchkey-test-verify-integration`, ...BROKER_KEYS });
  state.addRole(trustProbeRole(TRUST_PROBE_ROLE, BROKER_ROLE));
  state.addInstance({ instanceId: INSTANCE_ID, account: ACCOUNT, region: REGION });
  state.addDatabase({ ...DB, region: REGION, account: ACCOUNT });
  standin = await startAwsStandin({ state });
  const registry = new DynamoIntegrationRegistry(stores.db, stores.tables, stores.log);
  deps = {
    clock: { now: () => new Date() },
    ids: { next: (prefix) => `${prefix}_${Date.now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 10).toUpperCase()}` },
    targets: stores.targets,
    integrations: registry,
    roleProbe: new StsRoleProbe(createStsClient({ AWS_REGION: REGION, STS_ENDPOINT: standin.url }, BROKER_KEYS), {
      roleArn: TRUST_PROBE_ROLE,
      stsWith: (credentials) => createStsClient({ AWS_REGION: REGION, STS_ENDPOINT: standin.url }, credentials),
    }),
    settings: { brokerRoleArn: BROKER_ROLE },
  };
});
afterEach(async () => {
  await standin.close();
});

/** A tenant with an integration, a database behind a bastion in it, and the setup the admin was handed. */
async function linkedAccount() {
  const tenant = freshTenant('int');
  const admin = user(tenant, 'erin', ['admin']);
  const integration = await createIntegration(deps, admin, { accountId: ACCOUNT, name: 'prod' });
  const target = await createTarget(
    deps,
    admin,
    targetInputSchema.parse(targetInput({ resourceId: DB.resourceId, endpoint: DB.hostname, databaseUsers: ['app_ro', 'app_rw'], bastionInstanceId: INSTANCE_ID, integrationId: integration.integrationId, policy: policy() })),
  );
  const setup = await integrationSetup(deps, admin, integration.integrationId);
  await registerIntegrationRole(deps, admin, { integrationId: integration.integrationId, roleArn: CUSTOMER_ROLE });
  return { tenant, admin, integration, target, setup };
}

/** The customer installs the role: the emitted documents, optionally edited the way customers get them wrong. */
function install(setup: SetupResult, editTrust: (trust: any) => void = () => undefined): void {
  const trust = structuredClone(setup.trustPolicy) as any;
  editTrust(trust);
  state.addRole({ arn: CUSTOMER_ROLE, trustPolicy: trust as StandinPolicy, permissionPolicies: [setup.permissionPolicy as StandinPolicy] });
}

describe('verifying a customer role against the stand-in', () => {
  it('verifies a role installed exactly as the setup says, and logs it', async () => {
    const { tenant, admin, integration, setup } = await linkedAccount();
    install(setup);

    const { integration: after, verification } = await verifyIntegration(deps, admin, integration.integrationId);

    expect(verification).toMatchObject({ outcome: 'verified', roleArn: CUSTOMER_ROLE });
    expect(verification.checks.map((c) => [c.probe, c.observed])).toEqual([['with-external-id', 'assumed'], ['without-external-id', 'denied'], ['wrong-external-id', 'denied'], ['from-another-principal', 'denied']]);
    expect(after.status).toBe('verified');
    // What minting reads from the same item, through the same adapter: it issues only through this.
    const forMinting: IntegrationReader = deps.integrations;
    expect(await forMinting.get(tenant, integration.integrationId)).toMatchObject({
      integrationId: integration.integrationId, tenantId: tenant, accountId: ACCOUNT, roleArn: CUSTOMER_ROLE, externalId: integration.externalId, status: 'verified',
      // The setup the admin was handed: issuance checks each session policy against it.
      setup: { resources: allResources(setup) },
    });
    const events = await stores.events(tenant);
    expect(events.map((e) => e.action)).toEqual([LogAction.integrationCreated, LogAction.targetCreated, LogAction.integrationSetupIssued, LogAction.integrationRoleRegistered, LogAction.integrationVerified]);
    expect(JSON.stringify(events)).not.toContain(integration.externalId);
    // Every probe session of the customer role was useless (the deny-all session policy); the trust probe role's could only ask for it.
    const sessions = state.issuedSessions;
    expect(sessions.filter((s) => s.roleArn === CUSTOMER_ROLE).every((s) => JSON.stringify(s.sessionPolicy) === DENY_ALL_POLICY)).toBe(true);
    expect(sessions.filter((s) => s.roleArn !== CUSTOMER_ROLE).map((s) => [s.roleArn, JSON.stringify(s.sessionPolicy)])).toEqual([[TRUST_PROBE_ROLE, onlyAskFor(CUSTOMER_ROLE)]]);
  });

  it('refuses a role whose trust policy lacks the ExternalId condition (invariant 7)', async () => {
    const { admin, integration, setup } = await linkedAccount();
    install(setup, (trust) => delete trust.Statement[0].Condition);

    const { integration: after, verification } = await verifyIntegration(deps, admin, integration.integrationId);

    expect(after.status).toBe('failed');
    expect(verification).toMatchObject({ outcome: 'failed', reason: 'external_id_not_enforced' });
    expect(verification.message).toMatch(/StringEquals.*sts:ExternalId/);
    expect(verification.message).not.toContain(integration.externalId);
  });

  it.each<[string, unknown]>([
    ['Principal "*"', '*'],
    ['Principal {"AWS": "*"}', { AWS: '*' }],
    ["the broker account's root", { AWS: `arn:aws:iam::${BROKER_ACCOUNT}:root` }],
    ['the broker account id', { AWS: BROKER_ACCOUNT }],
  ])('refuses a role that trusts %s with the right external ID: broader than the broker role', async (_case, principal) => {
    const { admin, integration, setup } = await linkedAccount();
    install(setup, (trust) => (trust.Statement[0].Principal = principal));

    const { integration: after, verification } = await verifyIntegration(deps, admin, integration.integrationId);

    expect(after.status).toBe('failed');
    expect(verification).toMatchObject({ outcome: 'failed', reason: 'trust_too_broad' });
    expect(verification.checks.map((c) => [c.probe, c.observed])).toEqual([['with-external-id', 'assumed'], ['without-external-id', 'denied'], ['wrong-external-id', 'denied'], ['from-another-principal', 'assumed']]);
    expect(verification.message).toContain(`exactly {"AWS": "${BROKER_ROLE}"}`);
  });

  it('concludes nothing when the trust probe role cannot be assumed', async () => {
    const { admin, integration, setup } = await linkedAccount();
    install(setup);
    state.addRole({ ...trustProbeRole(TRUST_PROBE_ROLE, `arn:aws:iam::${BROKER_ACCOUNT}:role/someone-else`), arn: TRUST_PROBE_ROLE });

    const { verification } = await verifyIntegration(deps, admin, integration.integrationId);

    expect(verification).toMatchObject({ outcome: 'failed', reason: 'sts_error' });
    expect(verification.checks.at(-1)).toMatchObject({ probe: 'from-another-principal', observed: 'error', detail: 'TrustProbeRole.AccessDenied' });
  });

  it('refuses a role that takes any external ID (StringLike "*")', async () => {
    const { admin, integration, setup } = await linkedAccount();
    install(setup, (trust) => (trust.Statement[0].Condition = { StringLike: { 'sts:ExternalId': '*' } }));

    expect((await verifyIntegration(deps, admin, integration.integrationId)).verification.reason).toBe('external_id_not_enforced');
  });

  it.each<[string, (trust: any) => void, string, RegExp]>([
    ['a wrong principal', (t) => (t.Statement[0].Principal = { AWS: `arn:aws:iam::${BROKER_ACCOUNT}:role/someone-else` }), 'not_assumable', /Principal is exactly \{"AWS": "arn:aws:iam::999900001111:role\/latchkey-test-broker"\}/],
    ['no sts:TagSession', (t) => (t.Statement[0].Action = ['sts:AssumeRole', 'sts:SetSourceIdentity']), 'missing_tag_session', /add "sts:TagSession" to the Action list/],
    ['neither sts:TagSession nor sts:SetSourceIdentity', (t) => (t.Statement[0].Action = ['sts:AssumeRole']), 'missing_tag_session', /"sts:TagSession" and "sts:SetSourceIdentity"/],
    ['no sts:SetSourceIdentity', (t) => (t.Statement[0].Action = ['sts:AssumeRole', 'sts:TagSession']), 'missing_set_source_identity', /add "sts:SetSourceIdentity"/],
    ['another external ID', (t) => (t.Statement[0].Condition.StringEquals['sts:ExternalId'] = 'lk-ext-someone-elses'), 'not_assumable', /StringEquals sts:ExternalId/],
  ])('fails a role with %s, saying how to fix it', async (_what, edit, reason, message) => {
    const { admin, integration, setup } = await linkedAccount();
    install(setup, edit);

    const { integration: after, verification } = await verifyIntegration(deps, admin, integration.integrationId);

    expect(after.status).toBe('failed');
    expect(verification.reason).toBe(reason);
    expect(verification.message).toMatch(message);
  });

  it('fails a role that does not exist, and verifies it once installed (re-verify on demand)', async () => {
    const { admin, integration, setup } = await linkedAccount();
    expect((await verifyIntegration(deps, admin, integration.integrationId)).verification.reason).toBe('not_assumable');

    install(setup);
    expect((await verifyIntegration(deps, admin, integration.integrationId)).integration.status).toBe('verified');
  });
});

describe('the emitted permission policy, used the way minting uses it', () => {
  it('lets the broker mint a token for a registered user and a tunnel through the bastion, then end its own session', async () => {
    const { tenant, setup } = await linkedAccount();
    install(setup);
    const assumer = new StsRoleAssumer(createStsClient({ AWS_REGION: REGION, STS_ENDPOINT: standin.url }, BROKER_KEYS));
    const grant = { tenantId: tenant, requestId: 'req_01JVERIFYPOLICY0000000000', requesterId: 'alice', targetId: 'tgt_x', databaseUser: 'app_ro' };
    const windowEnd = new Date(Date.now() + 30 * 60_000);

    const assumed = await assumer.assume({
      roleArn: CUSTOMER_ROLE, externalId: setup.externalId, sessionName: sessionNameFor(grant), sourceIdentity: sourceIdentityFor('alice'), tags: sessionTagsFor(grant), durationSeconds: 900,
      policy: sessionPolicyFor({ region: REGION, accountId: ACCOUNT, resourceId: DB.resourceId, databaseUser: 'app_ro', windowEnd, ssm: { instanceId: INSTANCE_ID } }),
    });
    const token = await new RdsTokenSigner().sign({ hostname: DB.hostname, port: DB.port, region: REGION, username: 'app_ro', credentials: assumed.credentials });
    expect(await verifyRdsToken(token, { hostname: DB.hostname, port: DB.port, dbUser: 'app_ro', now: new Date() }, state)).toMatchObject({ ok: true });

    const ssm = new SsmSessionStarter({ endpoint: standin.url });
    const session = await ssm.start(assumed.credentials, { region: REGION, instanceId: INSTANCE_ID, host: DB.hostname, portNumber: DB.port, localPortNumber: 15432 });
    await ssm.terminate(assumed.credentials, REGION, session.sessionId);
    expect(state.sessions.get(session.sessionId)?.status).toBe('Terminated');
  });

  it('does not let the role connect as a database user nobody registered', async () => {
    const { tenant, setup } = await linkedAccount();
    install(setup);
    const assumer = new StsRoleAssumer(createStsClient({ AWS_REGION: REGION, STS_ENDPOINT: standin.url }, BROKER_KEYS));
    const grant = { tenantId: tenant, requestId: 'req_01JVERIFYPOLICY0000000001', requesterId: 'alice', targetId: 'tgt_x', databaseUser: 'admin' };
    // Even with a session policy that would allow it, the role's own policy does not.
    const assumed = await assumer.assume({
      roleArn: CUSTOMER_ROLE, externalId: setup.externalId, sessionName: sessionNameFor(grant), sourceIdentity: 'alice', tags: sessionTagsFor(grant), durationSeconds: 900,
      policy: sessionPolicyFor({ region: REGION, accountId: ACCOUNT, resourceId: DB.resourceId, databaseUser: 'admin', windowEnd: new Date(Date.now() + 600_000) }),
    });
    const token = await new RdsTokenSigner().sign({ hostname: DB.hostname, port: DB.port, region: REGION, username: 'admin', credentials: assumed.credentials });
    expect(await verifyRdsToken(token, { hostname: DB.hostname, port: DB.port, dbUser: 'admin', now: new Date() }, state)).toMatchObject({ ok: false, reason: 'not-authorized' });
  });
});

describe('DynamoIntegrationRegistry', () => {
  it('claims each external ID once across tenants, and keeps integrations to their tenant', async () => {
    const registry = deps.integrations;
    const [a, b] = [freshTenant('ia'), freshTenant('ib')];
    const base = { name: 'x', accountId: ACCOUNT, status: 'pending' as const, createdAt: new Date().toISOString(), createdBy: 'erin', version: 1 };
    const externalId = `lk-ext-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
    const entry = (tenantId: string) => ({ tenantId, at: new Date().toISOString(), action: LogAction.integrationCreated, actorId: 'erin', actorKind: 'user' as const, outcome: 'success' as const });
    await registry.create({ ...base, tenantId: a, integrationId: 'int_0000000001', externalId }, entry(a));

    await expect(registry.create({ ...base, tenantId: b, integrationId: 'int_0000000002', externalId }, entry(b))).rejects.toMatchObject({ name: 'ExternalIdTakenError' });
    expect(await registry.get(b, 'int_0000000002')).toBeUndefined();
    expect(await stores.events(b)).toEqual([]);
    expect(await registry.get(b, 'int_0000000001')).toBeUndefined();
    expect((await registry.list(a, { limit: 10 })).items.map((i) => i.integrationId)).toEqual(['int_0000000001']);
  });
});
