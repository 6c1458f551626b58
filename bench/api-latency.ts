import { fileURLToPath } from 'node:url';
import { mintToken } from '#dev/oidc/mint-token';
import { startStackProcess } from '#dev/stack-process';
import { summary, table } from './stats.ts';

// p50/p99 of create-request and approve against the local stack (started as
// `npm start` would, data in memory), over real HTTP, one call at a time, then
// with 8 callers in parallel for throughput.

type Call = (path: string, body: unknown) => Promise<{ status: number; body: any }>;

function client(apiUrl: string, token: string): Call {
  return async (path, body) => {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
}

async function timed<T>(fn: () => Promise<T>, into: number[]): Promise<T> {
  const t = performance.now();
  const out = await fn();
  into.push(performance.now() - t);
  return out;
}

async function tenant(apiUrl: string, home: string, issuer: string, name: string) {
  const token = (sub: string, roles: string[], groups: string[] = []) => mintToken({ sub, tenant: name, roles, groups, home, issuer });
  const admin = client(apiUrl, await token('ada', ['admin']));
  const target = await admin('/targets', {
    name: 'orders', engine: 'postgres', endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, region: 'eu-central-1',
    accountId: '111122223333', resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1', databaseUsers: ['app_ro'],
    policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 240 },
  });
  return {
    alice: client(apiUrl, await token('alice', ['requester'])),
    bob: client(apiUrl, await token('bob', ['approver'], ['dba'])),
    ask: { targetId: target.body.targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'bench' },
  };
}

async function inParallel(callers: { alice: Call; ask: unknown }[], total: number): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(callers.map(async ({ alice, ask }) => {
    for (let i = 0; i < total / callers.length; i++) {
      const res = await timed(() => alice('/requests', ask), latencies);
      if (res.status !== 201) throw new Error(`create-request answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }));
  return { latencies, perSecond: latencies.length / ((performance.now() - started) / 1000) };
}

export async function main(n = Number(process.env.BENCH_REQUESTS ?? 300)): Promise<void> {
  const stack = await startStackProcess(['--quiet']);
  try {
    const { apiUrl, home, issuer } = stack.info;
    const { alice, bob, ask } = await tenant(apiUrl, home, issuer, 'bench');

    const create: number[] = [];
    const approve: number[] = [];
    for (let i = 0; i < 20; i++) await alice('/requests', ask); // warm the handlers and DynamoDB Local
    for (let i = 0; i < n; i++) {
      const created = await timed(() => alice('/requests', ask), create);
      const approved = await timed(() => bob(`/requests/${created.body.requestId}/approve`, {}), approve);
      if (created.status !== 201 || approved.status !== 200) throw new Error(`unexpected ${created.status}/${approved.status}`);
    }

    // Writers of one tenant queue on its grant-log chain head; different tenants do not.
    const parallel = 8;
    const oneTenant = await inParallel(Array.from({ length: parallel }, () => ({ alice, ask })), n);
    const tenants = await Promise.all(Array.from({ length: parallel }, (_, i) => tenant(apiUrl, home, issuer, `bench-${i}`)));
    const manyTenants = await inParallel(tenants, n);

    const c = summary(create);
    const a = summary(approve);
    const p = summary(oneTenant.latencies);
    const m = summary(manyTenants.latencies);
    console.log(`\n## Local API latency (${n} calls each, local stack, DynamoDB Local in memory)\n`);
    console.log(table([
      ['', 'p50 ms', 'p99 ms', 'mean ms'],
      ['POST /requests (create)', c.p50, c.p99, c.mean],
      ['POST /requests/{id}/approve', a.p50, a.p99, a.mean],
      [`POST /requests, ${parallel} callers, one tenant`, p.p50, p.p99, p.mean],
      [`POST /requests, ${parallel} callers, ${parallel} tenants`, m.p50, m.p99, m.mean],
    ]));
    console.log(`throughput, ${parallel} callers: one tenant ${oneTenant.perSecond.toFixed(0)}/s, ${parallel} tenants ${manyTenants.perSecond.toFixed(0)}/s create-requests`);
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
