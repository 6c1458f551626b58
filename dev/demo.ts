import { createDatabaseUser, type LocalMariadb, type LocalPostgres } from './databases/index.ts';
import { mintToken } from './oidc/mint-token.ts';

// The demo tenant `npm start` seeds (skip with --no-demo): a customer account
// onboarded the way an admin and the customer would do it, through Latchkey's
// own API and the setup it emits — an integration, a PostgreSQL target, a
// MariaDB target behind a bastion, their database users created by the emitted
// SQL, the customer's role installed in the stand-in from the emitted policies,
// and verified. Every start runs it again: what exists is found and kept, what
// is missing is made, so it works on persisted data, after --reset and with
// --in-memory alike. The README's walkthrough starts from here.

/** Every name of the demo, in one place; README.md's walkthrough and the banner use them. */
export const DEMO = {
  tenant: 'acme',
  admin: 'ada',
  requester: 'alice',
  approver: 'bob',
  approverGroup: 'dba',
  integration: 'acme-local',
  /** The customer's role, as its CloudFormation stack would name it. */
  roleName: 'latchkey/LatchkeyDemoAccess',
  /** The customer's SSM-managed instance through which the private database is reached. */
  bastionInstanceId: 'i-0de40bead0000c0de',
  databaseUsers: ['app_ro', 'app_rw'],
  targets: { postgres: 'orders-pg', mariadb: 'billing-mariadb' },
} as const;

export interface DemoStack {
  apiUrl: string;
  standinUrl: string;
  issuer: string;
  home: string;
  region: string;
  postgres: LocalPostgres;
  mariadb: LocalMariadb;
}

export interface DemoSummary {
  tenant: string;
  targets: { name: string; targetId: string; engine: string; bastionInstanceId?: string }[];
  /** Demo targets moved to this stack's servers (the same home started with another --port). */
  notices: string[];
}

type Json = Record<string, any>;

export async function seedDemo(stack: DemoStack): Promise<DemoSummary> {
  const token = await mintToken({ sub: DEMO.admin, tenant: DEMO.tenant, roles: ['admin'], issuer: stack.issuer, home: stack.home, ttlSeconds: 300 });
  const api = apiCaller(stack.apiUrl, token);
  const control = controlCaller(stack.standinUrl);
  const account = stack.postgres.account;

  // 1. The admin links the customer's account.
  const [integrations, existing] = await Promise.all([
    api('GET', '/integrations?limit=100', 200).then((page) => page.items as Json[]),
    api('GET', '/targets?limit=100', 200).then((page) => page.items as Json[]),
  ]);
  const integration = integrations.find((i) => i.name === DEMO.integration) ?? (await api('POST', '/integrations', 201, { accountId: account, name: DEMO.integration }));

  // 2. …and registers its two databases, the MariaDB one private (reached through the bastion).
  const notices: string[] = [];
  const wanted = [
    { name: DEMO.targets.postgres, engine: 'postgres', server: stack.postgres },
    { name: DEMO.targets.mariadb, engine: 'mariadb', server: stack.mariadb, bastionInstanceId: DEMO.bastionInstanceId },
  ];
  const targets: Json[] = await Promise.all(wanted.map(async ({ name, engine, server, bastionInstanceId }) => {
    const found = existing.find((t) => t.name === name);
    if (found && (found.endpoint !== server.host || found.port !== server.port)) {
      // The same home started with another --port: the admin moves the target, as `PUT /targets` lets one.
      // Forced, since a grant on the old address cannot reach a server that is no longer there anyway.
      const moved = await api('PUT', `/targets/${found.targetId}`, 200, { version: found.version, endpoint: server.host, port: server.port, force: true });
      notices.push(`demo target ${name} moved from ${found.endpoint}:${found.port} to ${server.host}:${server.port} (this home was started with another --port)`);
      return moved;
    }
    return found ?? api('POST', '/targets', 201, {
      name, engine, endpoint: server.host, port: server.port, region: stack.region, accountId: account,
      resourceId: server.resourceId, databaseUsers: DEMO.databaseUsers, integrationId: integration.integrationId,
      ...(bastionInstanceId ? { bastionInstanceId } : {}),
      policy: { approvers: { groups: [DEMO.approverGroup] }, approvalsRequired: 1, maxDurationMinutes: 240 },
    });
  }));

  // 3. The customer installs exactly what the setup says: the bastion is theirs, the role is built from the
  //    emitted trust and permission policies (again at every start: the same setup replaces the same role).
  await control('instances', { instanceId: DEMO.bastionInstanceId, account, region: stack.region });
  const setup = await api('GET', `/integrations/${integration.integrationId}/setup`, 200);
  const roleArn = `arn:aws:iam::${account}:role/${DEMO.roleName}`;
  await control('roles', { arn: roleArn, trustPolicy: setup.trustPolicy, permissionPolicies: setup.permissionPolicy ? [setup.permissionPolicy] : [] });

  // 4. …and its DBA runs the emitted SQL (users that exist are kept), while the admin hands back the role and verifies it.
  const servers = { postgres: stack.postgres, mariadb: stack.mariadb } as const;
  const users = targets.map((t) => {
    const sql = (setup.databases as Json[]).find((d) => d.targetId === t.targetId);
    return sql ? createDatabaseUser(servers[t.engine as 'postgres' | 'mariadb'], sql.statements) : Promise.resolve();
  });
  const verified = (async () => {
    if (integration.roleArn === roleArn && integration.status === 'verified') return;
    if (integration.roleArn !== roleArn) await api('PUT', `/integrations/${integration.integrationId}/role`, 200, { roleArn });
    const verification = await api('POST', `/integrations/${integration.integrationId}/verify`, 200);
    if (verification.status !== 'verified') throw new Error(`the demo integration did not verify: ${JSON.stringify(verification.verification ?? verification.status)}`);
  })();
  await Promise.all([...users, verified]);

  return {
    tenant: DEMO.tenant,
    targets: targets.map((t) => ({ name: t.name, targetId: t.targetId, engine: t.engine, ...(t.bastionInstanceId ? { bastionInstanceId: t.bastionInstanceId } : {}) })),
    notices,
  };
}

/** Calls the local API as the demo admin; an answer other than `expected` stops the seeding with its status and error code. */
function apiCaller(apiUrl: string, token: string) {
  return async (method: string, path: string, expected: number, body?: unknown): Promise<Json> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as Json;
    // The error body only: a success body may hold the external ID, which no message carries.
    if (response.status !== expected) throw new Error(`${method} ${path.split('?')[0]} answered ${response.status} ${json.error ?? ''}: ${json.message ?? ''}`);
    return json;
  };
}

/** The stand-in's control API: here the demo plays the customer's AWS account. */
function controlCaller(standinUrl: string) {
  return async (action: string, body: unknown): Promise<void> => {
    const response = await fetch(`${standinUrl}/_standin/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`stand-in ${action} answered ${response.status}: ${await response.text()}`);
  };
}
