import type { AccessRequest, ApprovedRequest } from '#shared/requests/access-request';
import type { Principal } from '#shared/kernel/principal';
import { policySchema, targetInputSchema, type Target, type TargetInput } from '#shared/targets/target';
import * as transitions from '#shared/requests/transitions';
import { permissionResources, resourceList } from '#shared/iam/permission-policy';
import type { Integration } from '#shared/integrations/integration';
import type { MintingDeps } from '#shared/minting/deps';
import {
  ACCOUNT, DB_TOKEN, FakeClock, FakeDatabaseSessions, FakeRoleAssumer, FakeSessionStarter, FakeTokenSigner, InMemoryGrantLog, InMemoryIntegrationRegistry,
  InMemoryIssuanceStore, InMemoryRequestStore, InMemoryTargetStore, FakeMetrics, SECRET_KEY, SESSION_TOKEN, T0, TOKEN_VALUE, minutes,
} from './fakes/index.ts';

// A minting world on the shared fakes: one tenant, one verified integration,
// one target with a bastion.

export { ACCOUNT, DB_TOKEN, SECRET_KEY, SESSION_TOKEN, T0, TOKEN_VALUE, minutes, FakeClock };
export const TENANT = 'acme';
export const TARGET_ID = 'tgt_0000000901';
export const INTEGRATION_ID = 'int_0000000777';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/LatchkeyAccess`;
export const EXTERNAL_ID = 'lk-ext-SECRET-7f3a9c1e5b2d4f6a8c0e';
export const secrets = [EXTERNAL_ID, SECRET_KEY, SESSION_TOKEN, DB_TOKEN, 'DBTOKENSECRET', TOKEN_VALUE];

export const at = (offsetMinutes: number) => new Date(Date.parse(T0) + minutes(offsetMinutes));

export const requester: Principal = { id: 'auth0|alice', kind: 'user', tenantId: TENANT, roles: ['requester'], groups: [] };
export const approver: Principal = { id: 'bob@example.com', kind: 'user', tenantId: TENANT, roles: ['approver'], groups: ['dba'] };
export const REASON = 'SECRET-REASON investigating INC-4242 for customer 991';

export function aTarget(overrides: Partial<TargetInput> = {}): Target {
  const input = targetInputSchema.parse({
    name: 'orders-prod',
    engine: 'postgres',
    endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com',
    port: 5432,
    region: 'eu-central-1',
    accountId: ACCOUNT,
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
    databaseUsers: ['app_ro', 'app_rw'],
    bastionInstanceId: 'i-0123456789abcdef0',
    integrationId: INTEGRATION_ID,
    policy: policySchema.parse({ approvers: { groups: ['dba'], principals: [] }, maxDurationMinutes: 480 }),
    ...overrides,
  });
  return { ...input, tenantId: TENANT, targetId: TARGET_ID, createdAt: T0, createdBy: 'admin', version: 1 };
}

export const anIntegration = (overrides: Partial<Integration> = {}): Integration => ({
  integrationId: INTEGRATION_ID,
  tenantId: TENANT,
  name: 'orders account',
  createdAt: T0,
  createdBy: 'admin',
  version: 2,
  accountId: ACCOUNT,
  roleArn: ROLE_ARN,
  externalId: EXTERNAL_ID,
  status: 'verified',
  // The customer was handed (and applied) the setup of the world's one target.
  setup: { policyHash: 'world', resources: resourceList(permissionResources([aTarget()])), at: T0, by: 'admin' },
  ...overrides,
});

/** Created at T0 and approved at once through the real transitions: the window is T0 .. T0+durationMinutes. */
export function pendingGrant(durationMinutes = 60, requestId = 'req_0000000001'): AccessRequest {
  return transitions.createRequest({
    tenantId: TENANT, requestId, target: aTarget(), databaseUser: 'app_ro', requester, durationMinutes, reason: REASON, now: at(0),
  }).next;
}

export function approvedGrant(durationMinutes = 60, requestId = 'req_0000000001'): ApprovedRequest {
  const next = transitions.approve(pendingGrant(durationMinutes, requestId), approver, aTarget().policy, at(0)).next;
  if (next.status !== 'approved') throw new Error('expected an approved grant');
  return next;
}

export type FakeMintingDeps = MintingDeps & {
  clock: FakeClock;
  log: InMemoryGrantLog;
  requests: InMemoryRequestStore;
  targets: InMemoryTargetStore;
  integrations: InMemoryIntegrationRegistry;
  roleAssumer: FakeRoleAssumer;
  tokenSigner: FakeTokenSigner;
  sessionStarter: FakeSessionStarter;
  issuances: InMemoryIssuanceStore;
  metrics: FakeMetrics;
  databaseSessions: FakeDatabaseSessions;
};

export function fakeMintingDeps(): FakeMintingDeps {
  const log = new InMemoryGrantLog();
  const requests = new InMemoryRequestStore(log);
  const targets = new InMemoryTargetStore(log);
  const integrations = new InMemoryIntegrationRegistry();
  targets.seed(aTarget());
  integrations.seed(anIntegration());
  const issuances = new InMemoryIssuanceStore(requests, log);
  requests.alsoDue.push(() => issuances.dueDbSessions());
  return {
    clock: new FakeClock(),
    metrics: new FakeMetrics(),
    log,
    requests,
    targets,
    integrations,
    roleAssumer: new FakeRoleAssumer(),
    tokenSigner: new FakeTokenSigner(),
    sessionStarter: new FakeSessionStarter(),
    issuances,
    databaseSessions: new FakeDatabaseSessions(),
  };
}
