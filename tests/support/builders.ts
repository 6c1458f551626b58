import type { Principal } from '#shared/kernel/principal';
import type { Policy, Target, TargetInput } from '#shared/targets/target';

export function policy(overrides: Partial<Policy> = {}): Policy {
  return {
    requesters: { groups: [], principals: [] },
    approvers: { groups: ['dba'], principals: [] },
    approvalsRequired: 1,
    maxDurationMinutes: 240,
    reasonRequired: true,
    pendingTimeoutMinutes: 60,
    autoApprove: [],
    notify: { slackChannels: [], dmApprovers: false, email: false, emailTo: [] },
    ...overrides,
  };
}

export function targetInput(overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    name: 'orders-prod',
    engine: 'postgres',
    aurora: false,
    endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com',
    port: 5432,
    region: 'eu-central-1',
    accountId: '111122223333',
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
    databaseUsers: ['app_ro', 'app_rw'],
    policy: policy(),
    ...overrides,
  };
}

export function target(tenantId: string, targetId: string, overrides: Partial<TargetInput> = {}): Target {
  return { ...targetInput(overrides), tenantId, targetId, createdAt: '2026-11-24T08:00:00.000Z', createdBy: 'admin', version: 1 };
}

export function user(tenantId: string, id: string, roles: Principal['roles'], groups: string[] = []): Principal {
  return { id, kind: 'user', tenantId, roles, groups };
}
