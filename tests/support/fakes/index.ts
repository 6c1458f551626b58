import type { AccessRequest } from '#shared/requests/access-request';
import type { Principal } from '#shared/kernel/principal';
import { policySchema, targetInputSchema, type Policy, type Target, type TargetInput } from '#shared/targets/target';
import type { Deps } from '#shared/requests/deps';
import type { IntegrationDeps } from '#shared/integrations/deps';
import type { ProbeRequest } from '#shared/integrations/ports';
import type { ProbeResult } from '#shared/integrations/role-verification';
import { policy, targetInput } from '../builders.ts';
import { FakeClock, SequentialIds, T0 } from './clock.ts';
import { FakeMetrics } from './metrics.ts';
import { InMemoryGrantLog } from './grant-log.ts';
import { InMemoryIntegrationRegistry, ScriptedRoleProbe } from './integrations.ts';
import { InMemoryRequestStore } from './requests.ts';
import { InMemoryServiceStore } from './services.ts';
import { InMemoryTargetStore } from './targets.ts';

// The one set of in-memory fakes of the ports (one file per port family) and
// the worlds built from them. Each store fake keeps the promises its DynamoDB
// adapter keeps; tests/contract/* runs the same cases against both.

export * from './clock.ts';
export * from './grant-log.ts';
export * from './integrations.ts';
export * from './minting.ts';
export * from './requests.ts';
export * from './services.ts';
export * from './targets.ts';
export * from './metrics.ts';

export type FakeDeps = Deps & {
  clock: FakeClock;
  metrics: FakeMetrics;
  log: InMemoryGrantLog;
  targets: InMemoryTargetStore;
  requests: InMemoryRequestStore;
  services: InMemoryServiceStore;
};

/** A full set of collaborators sharing one grant log. */
export function fakeDeps(start: Date | string = T0): FakeDeps {
  const log = new InMemoryGrantLog();
  return {
    clock: new FakeClock(start),
    ids: new SequentialIds(),
    log,
    targets: new InMemoryTargetStore(log),
    requests: new InMemoryRequestStore(log),
    services: new InMemoryServiceStore(log),
    metrics: new FakeMetrics(),
  };
}

// ---- Builders: valid things with the fewest words; override what the test is about.

export const TENANT = 'acme';
export const OTHER_TENANT = 'globex';
export const TARGET_ID = 'tgt_0000000901';

export function aUser(id: string, roles: Principal['roles'], overrides: Partial<Principal> = {}): Principal {
  return { id, kind: 'user', tenantId: TENANT, roles, groups: [], ...overrides };
}

export function aService(roleName: string, access: { targetId: string; databaseUsers: string[] }[], overrides: Partial<Principal> = {}): Principal {
  return {
    id: `arn:aws:iam::444455556666:role/${roleName}`,
    kind: 'service',
    tenantId: TENANT,
    roles: ['requester'],
    groups: [],
    scope: { access, autoApprove: false },
    ...overrides,
  };
}

/** Parsed by the real schema, so the defaults are the ones production applies. */
export function aPolicy(overrides: Partial<Policy> = {}): Policy {
  // The test builder's policy, through the schema so overrides are validated too.
  return policySchema.parse(policy(overrides));
}

export function aTarget(overrides: Partial<TargetInput> & { tenantId?: string; targetId?: string } = {}): Target {
  const { tenantId = TENANT, targetId = TARGET_ID, ...input } = overrides;
  const parsed = targetInputSchema.parse(targetInput({ policy: aPolicy(), ...input }));
  return { ...parsed, tenantId, targetId, createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'admin-1', version: 1 };
}

/** Asserts the status and narrows the union, so a test can read status-specific fields. */
export function inStatus<S extends AccessRequest['status']>(request: AccessRequest, status: S): Extract<AccessRequest, { status: S }> {
  if (request.status !== status) throw new Error(`expected a ${status} request, got ${request.status}`);
  return request as Extract<AccessRequest, { status: S }>;
}

// ---- Integrations: a probe scripted per test, the broker role, predictable external IDs.

export const BROKER = 'arn:aws:iam::999988887777:role/latchkey-test-broker';

/** A role configured as the setup says: assumable only with `externalId`. */
export const wellInstalled = (externalId: string, account = '111122223333') => (r: ProbeRequest): ProbeResult =>
  r.externalId === externalId ? { outcome: 'assumed', assumedRoleArn: `arn:aws:sts::${account}:assumed-role/LatchkeyAccess/${r.sessionName}` } : { outcome: 'denied', action: 'sts:AssumeRole' };

export type FakeIntegrationDeps = FakeDeps & IntegrationDeps & { integrations: InMemoryIntegrationRegistry; roleProbe: ScriptedRoleProbe };

export function fakeIntegrationDeps(options: { probe?: (r: ProbeRequest) => ProbeResult; settings?: IntegrationDeps['settings'] } = {}): FakeIntegrationDeps {
  const base = fakeDeps();
  let n = 0;
  return {
    ...base,
    integrations: new InMemoryIntegrationRegistry(base.log),
    roleProbe: new ScriptedRoleProbe(options.probe ?? (() => ({ outcome: 'denied' }))),
    settings: options.settings ?? { brokerRoleArn: BROKER },
    newExternalId: () => `lk-ext-${String(++n).padStart(32, 'a')}`,
  };
}
