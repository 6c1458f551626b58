import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { mintToken } from '#dev/oidc/mint-token';
import { startStackProcess } from '#dev/stack-process';
import { childrenNamed, cpuMs, loadAverage } from './proc-cpu.ts';
import { percentile, table } from './stats.ts';

// Open-loop load on the local stack (`npm start`, data in memory): requests are
// sent at a fixed arrival rate whether or not earlier ones have answered, as
// independent users would, so a slow stack shows up as latency and errors, not
// as a politely lower rate. Half GET /me (the floor: authorizer + one handler,
// no database) and half POST /requests (one conditional transaction on the
// tenant's chain head), spread over 20 tenants. Each rate runs for a bounded
// time and count; only 127.0.0.1 is called. A request unanswered after 10 s
// counts as an error ("timeout"), as the local Lambda timeout would.
// CPU is read from /proc for the stack's two busy processes, the local API
// (node) and DynamoDB Local (java): per request of each kind in a closed loop
// after the warm-up, and per second at each rate, with the load average (the
// machine is shared: a rate that fails beside a loaded machine is read with it).

const TENANTS = 20;
const REQUEST_TIMEOUT_MS = 10_000;
const WARM_UP = Number(process.env.BENCH_OPEN_LOOP_WARM_UP ?? 1600);
const CPU_SAMPLE = 400;

type Kind = 'GET /me' | 'POST /requests';
type Outcome = { kind: Kind; status: number | 'timeout' | 'network'; ms: number };
type Caller = { token: string; ask: unknown };

async function tenant(apiUrl: string, home: string, issuer: string, name: string): Promise<Caller> {
  const admin = await mintToken({ sub: 'ada', tenant: name, roles: ['admin'], home, issuer });
  const res = await fetch(`${apiUrl}/targets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'orders', engine: 'postgres', endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, region: 'eu-central-1',
      accountId: '111122223333', resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1', databaseUsers: ['app_ro'],
      policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 240 },
    }),
  });
  const target = (await res.json()) as { targetId?: string };
  if (res.status !== 201 || !target.targetId) throw new Error(`create-target answered ${res.status}: ${JSON.stringify(target)}`);
  const token = await mintToken({ sub: 'alice', tenant: name, roles: ['requester'], home, issuer });
  return { token, ask: { targetId: target.targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'open-loop bench' } };
}

async function send(apiUrl: string, kind: Kind, caller: Caller): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${apiUrl}${kind === 'GET /me' ? '/me' : '/requests'}`, {
      method: kind === 'GET /me' ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${caller.token}`, ...(kind === 'GET /me' ? {} : { 'content-type': 'application/json' }) },
      ...(kind === 'GET /me' ? {} : { body: JSON.stringify(caller.ask) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { kind, status: res.status, ms: performance.now() - started };
  } catch (error) {
    const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    return { kind, status, ms: performance.now() - started };
  }
}

/** Sends `rate × seconds` requests on a fixed schedule (request i at i / rate s), alternating the two kinds, tenants round-robin. */
async function openLoop(apiUrl: string, callers: Caller[], rate: number, seconds: number): Promise<{ outcomes: Outcome[]; sentPerSecond: number; elapsedS: number }> {
  const total = rate * seconds;
  const pending: Promise<Outcome>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(apiUrl, i % 2 === 0 ? 'GET /me' : 'POST /requests', callers[Math.floor(i / 2) % callers.length]!));
  }
  const sentPerSecond = total / ((performance.now() - start) / 1000);
  const outcomes = await Promise.all(pending);
  return { outcomes, sentPerSecond, elapsedS: (performance.now() - start) / 1000 };
}

const ok = (o: Outcome) => o.status === 200 || o.status === 201;

export async function main(rates = (process.env.BENCH_OPEN_LOOP_RATES ?? '50,100,200').split(',').map(Number), seconds = Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 10)): Promise<void> {
  // No PostgreSQL or MariaDB: these requests never reach them.
  // BENCH_OPEN_LOOP_BASELINE=1: the stack as before tenant isolation (no tenant sessions, no DynamoDB front), to pair with.
  const baseline = process.env.BENCH_OPEN_LOOP_BASELINE === '1' ? ['--no-tenant-isolation'] : [];
  const stack = await startStackProcess(['--quiet', '--no-databases', ...baseline]);
  try {
    const { apiUrl, home, issuer } = stack.info;
    const java = childrenNamed(stack.pid, 'java')[0];
    if (!java) throw new Error('no DynamoDB Local (java) child of the stack process');
    const stackCpu = () => ({ node: cpuMs(stack.pid), java: cpuMs(java) });
    // One tenant at a time: twenty first writes on a cold JVM at once can outlast the 10 s function timeout.
    const callers: Caller[] = [];
    for (let i = 0; i < TENANTS; i++) callers.push(await tenant(apiUrl, home, issuer, `load-${i}`));
    // Warm-up, closed loop, not measured: DynamoDB Local's JVM spends several times the
    // CPU per transaction until its JIT has seen a few hundred of them (with the JVM's
    // default C2: 73 ms of Java CPU per create-request in the first 100, 19 ms by the 500th;
    // C1 only, as dev/dynamodb-local.ts runs it now, gets most of the way sooner).
    const warmStart = performance.now();
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < WARM_UP / 8; i++) await send(apiUrl, i % 2 === 0 ? 'GET /me' : 'POST /requests', callers[(w + i * 8) % callers.length]!);
    }));
    console.error(`open-loop: warmed with ${WARM_UP} closed-loop requests in ${((performance.now() - warmStart) / 1000).toFixed(1)} s`);

    // CPU per request of each kind, closed loop (8 at a time), after the warm-up.
    const cost = new Map<Kind, { node: number; java: number }>();
    for (const kind of ['GET /me', 'POST /requests'] as Kind[]) {
      const before = stackCpu();
      await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (let i = w; i < CPU_SAMPLE; i += 8) await send(apiUrl, kind, callers[i % callers.length]!);
      }));
      const after = stackCpu();
      cost.set(kind, { node: (after.node - before.node) / CPU_SAMPLE, java: (after.java - before.java) / CPU_SAMPLE });
    }
    const me = cost.get('GET /me')!;
    const create = cost.get('POST /requests')!;
    const mix = (me.node + me.java + create.node + create.java) / 2;
    const costRows: (string | number)[][] = [
      ['request', 'node ms CPU', 'java ms CPU', 'total ms CPU'],
      ['GET /me', me.node, me.java, me.node + me.java],
      ['POST /requests', create.node, create.java, create.node + create.java],
      ['the half-and-half mix', (me.node + create.node) / 2, (me.java + create.java) / 2, mix],
    ];

    const rows: (string | number)[][] = [['rate', 'request', 'sent/s', 'answered ok/s', 'errors by status', 'p50 ms', 'p99 ms', 'p99 x GET /me', 'stack CPU ms/s', 'load average']];
    for (const rate of rates) {
      const before = stackCpu();
      const load = loadAverage();
      const { outcomes, sentPerSecond, elapsedS } = await openLoop(apiUrl, callers, rate, seconds);
      const after = stackCpu();
      const cpuPerSecond = (after.node - before.node + after.java - before.java) / elapsedS;
      const p99Of = (kind: Kind) => percentile(outcomes.filter((o) => o.kind === kind).map((o) => o.ms).sort((a, b) => a - b), 99);
      const floor = p99Of('GET /me');
      for (const kind of ['GET /me', 'POST /requests'] as Kind[]) {
        const mine = outcomes.filter((o) => o.kind === kind);
        const errors = new Map<string, number>();
        for (const o of mine) if (!ok(o)) errors.set(String(o.status), (errors.get(String(o.status)) ?? 0) + 1);
        const sorted = mine.map((o) => o.ms).sort((a, b) => a - b);
        rows.push([
          `${rate}/s`, kind, sentPerSecond / 2, mine.filter(ok).length / elapsedS,
          errors.size === 0 ? `0 of ${mine.length}` : `${[...errors].map(([s, n]) => `${s}: ${n}`).join(', ')} of ${mine.length}`,
          percentile(sorted, 50), percentile(sorted, 99), p99Of(kind) / floor, cpuPerSecond, load,
        ]);
      }
    }
    console.log(`\n## Open-loop load on the local API (${seconds} s per rate, half GET /me, half POST /requests over ${TENANTS} tenants)\n`);
    console.log(table(rows));
    console.log(`\nCPU per request of the stack (node = local API, java = DynamoDB Local), closed loop, ${CPU_SAMPLE} of each after the warm-up:\n`);
    console.log(table(costRows));
    console.log(`\n200 req/s of the mix costs ${(200 * mix).toFixed(0)} ms of CPU per second of the ${availableParallelism() * 1000} that ${availableParallelism()} cores give (load average ${loadAverage()}).`);
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
