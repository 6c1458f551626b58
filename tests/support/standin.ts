import { expect, inject } from 'vitest';
import type { ApiClient } from './api.ts';

// The AWS stand-in's dev-only control API (dev/aws-standin/control.ts): how a
// test in this process plays the customer's AWS account, a third party's role
// and RDS while the stack runs in another process.

export async function control(action: string, body?: unknown, stsUrl: string = inject('stsUrl') ?? ''): Promise<any> {
  const response = await fetch(`${stsUrl}/_standin/${action}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`stand-in ${action}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export type Database = { hostname: string; port: number; resourceId: string; account: string };

/** The admin links the account and registers a database in it; returns the emitted setup too. */
export async function linkAccount(admin: ApiClient, name: string, db: Database, extra: { bastionInstanceId?: string; databaseUsers?: string[] } = {}, region: string = inject('region')) {
  const created = await admin.post('/integrations', { accountId: db.account, name });
  expect(created.status).toBe(201);
  const target = await admin.post('/targets', {
    name: `${name}-db`, engine: 'postgres', endpoint: db.hostname, port: db.port, region, accountId: db.account,
    resourceId: db.resourceId, databaseUsers: ['app_ro'], integrationId: created.body.integrationId,
    policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120 },
    ...extra,
  });
  expect(target.status).toBe(201);
  const setup = await admin.get(`/integrations/${created.body.integrationId}/setup`);
  expect(setup.status).toBe(200);
  return { integration: created.body, target: target.body, setup: setup.body };
}

/** The customer installs the role exactly as the setup says; the admin hands back its ARN and verifies it. */
export async function installAndVerify(
  admin: ApiClient,
  linked: { integration: { accountId: string; integrationId: string }; setup: { trustPolicy: unknown; permissionPolicy: unknown } },
  roleName: string,
  stsUrl?: string,
): Promise<string> {
  const roleArn = `arn:aws:iam::${linked.integration.accountId}:role/latchkey/${roleName}`;
  await control('roles', { arn: roleArn, trustPolicy: linked.setup.trustPolicy, permissionPolicies: [linked.setup.permissionPolicy] }, stsUrl);
  expect((await admin.put(`/integrations/${linked.integration.integrationId}/role`, { roleArn })).status).toBe(200);
  expect((await admin.post(`/integrations/${linked.integration.integrationId}/verify`)).body.status).toBe('verified');
  return roleArn;
}
