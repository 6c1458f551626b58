import { fileURLToPath } from 'node:url';
import { mintToken } from '#dev/oidc/mint-token';
import { startStackProcess } from '#dev/stack-process';
import { summary, table } from './stats.ts';

// Issuance through the local API: one AssumeRole against the STS stand-in,
// the RDS token signed locally, one logged event per call — p50/p99 one at a
// time, then throughput with 8 callers on 8 grants.

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

function client(apiUrl: string, token: string): Call {
  return async (method, path, body) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
}

async function must(res: Promise<{ status: number; body: any }>, status: number) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function main(n = Number(process.env.BENCH_ISSUANCES ?? 300)): Promise<void> {
  const stack = await startStackProcess(['--quiet']);
  try {
    const { apiUrl, home, issuer, stsUrl, region } = stack.info;
    const control = (action: string, body: unknown) =>
      fetch(`${stsUrl}/_standin/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    const as = async (sub: string, roles: string[], groups: string[] = []) => client(apiUrl, await mintToken({ sub, tenant: 'bench', roles, groups, home, issuer }));
    const admin = await as('ada', ['admin']);
    const alice = await as('alice', ['requester']);
    const bob = await as('bob', ['approver'], ['dba']);

    const account = '310987654321';
    const db = { hostname: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-BENCHISSUANCE000000000001' };
    await control('databases', { ...db, region, account });
    const integration = await must(admin('POST', '/integrations', { accountId: account, name: 'bench' }), 201);
    const target = await must(admin('POST', '/targets', {
      name: 'orders', engine: 'postgres', endpoint: db.hostname, port: db.port, region, accountId: account, resourceId: db.resourceId,
      databaseUsers: ['app_ro'], integrationId: integration.integrationId, policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 240 },
    }), 201);
    const setup = await must(admin('GET', `/integrations/${integration.integrationId}/setup`), 200);
    const roleArn = `arn:aws:iam::${account}:role/latchkey/BenchAccess`;
    await control('roles', { arn: roleArn, trustPolicy: setup.trustPolicy, permissionPolicies: [setup.permissionPolicy] });
    await must(admin('PUT', `/integrations/${integration.integrationId}/role`, { roleArn }), 200);
    await must(admin('POST', `/integrations/${integration.integrationId}/verify`), 200);

    const grant = async () => {
      const request = await must(alice('POST', '/requests', { targetId: target.targetId, databaseUser: 'app_ro', durationMinutes: 120, reason: 'bench' }), 201);
      await must(bob('POST', `/requests/${request.requestId}/approve`, {}), 200);
      return request.requestId as string;
    };
    const one = await grant();
    const issue = (requestId: string) => must(alice('POST', `/requests/${requestId}/credentials`, {}), 201);
    for (let i = 0; i < 20; i++) await issue(one); // warm up

    const sequential: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await issue(one);
      sequential.push(performance.now() - t);
    }
    const grants = await Promise.all(Array.from({ length: 8 }, grant));
    const started = performance.now();
    const parallel: number[] = [];
    await Promise.all(grants.map(async (requestId) => {
      for (let i = 0; i < n / grants.length; i++) {
        const t = performance.now();
        await issue(requestId);
        parallel.push(performance.now() - t);
      }
    }));
    const perSecond = parallel.length / ((performance.now() - started) / 1000);
    const s = summary(sequential);
    const p = summary(parallel);
    console.log(`\n## Credential issuance (${n} issuances each; local API, STS stand-in, DynamoDB Local in memory)\n`);
    console.log(table([
      ['', 'p50 ms', 'p99 ms', 'mean ms'],
      ['POST /requests/{id}/credentials, one caller', s.p50, s.p99, s.mean],
      ['same, 8 callers on 8 grants (one tenant)', p.p50, p.p99, p.mean],
    ]));
    console.log(`throughput with 8 callers: ${perSecond.toFixed(0)} issuances/s (sequential: ${(1000 / s.mean).toFixed(0)}/s)`);
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
