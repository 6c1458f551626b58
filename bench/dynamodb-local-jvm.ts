import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/kernel/principal';
import { createRequest } from '#shared/requests/use-cases';
import { createTarget } from '#shared/targets/use-cases';
import { JVM_OPTIONS, startDynamoDbLocal, type DynamoDbLocal } from '#dev/dynamodb-local';
import { ensureTables, readTableSpecs } from '#dev/dynamodb-tables';
import { aTarget } from '../tests/support/minting-world.ts';
import { cpuMs, loadAverage } from './proc-cpu.ts';
import { dynamoBenchDeps } from './dynamo-deps.ts';
import { median, table } from './stats.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Java CPU per create-request under different JVM options for DynamoDB Local
// (dev/dynamodb-local.ts, JVM_OPTIONS). One DynamoDB Local per configuration,
// all running at once; the same closed-loop create-request load (the real
// stores and use cases, 8 writers over 20 tenants) goes to each in turn, the
// order rotating every round, so the machine's noise falls on all of them.
// The figure is the java process's own CPU (utime + stime from /proc/<pid>/stat,
// every thread: JIT compilers and GC included) per create. A warm-up of
// BENCH_JVM_WARM_UP creates per configuration comes first and is reported apart.
// `npx tsx bench/dynamodb-local-jvm.ts`; BENCH_JVM_CONFIGS='name=-XX:+Flag -Xmx1g;other=' to choose.

const WRITERS = 8;
const TENANTS = 20;


type Config = { name: string; javaOptions: string[] };

function configs(): Config[] {
  const given = process.env.BENCH_JVM_CONFIGS;
  if (!given) {
    return [
      { name: 'JVM defaults', javaOptions: [] },
      { name: 'JVM_OPTIONS', javaOptions: [...JVM_OPTIONS] },
    ];
  }
  return given.split(';').map((entry) => {
    const eq = entry.indexOf("="); const name = eq === -1 ? entry : entry.slice(0, eq); const flags = eq === -1 ? "" : entry.slice(eq + 1);
    return { name, javaOptions: flags.split(' ').filter(Boolean) };
  });
}

const person = (tenantId: string, id: string, roles: string[]): Principal => ({ id, kind: 'user', tenantId, roles: roles as Principal['roles'], groups: [] });

async function world(local: DynamoDbLocal) {
  const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 3 });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const tables = { main: 'bench-main', log: 'bench-log', idempotency: 'bench-idempotency' };
  await ensureTables(client, readTableSpecs(tables));
  const deps = dynamoBenchDeps(db, tables);
  const tenants: { requester: Principal; targetId: string }[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const tenantId = `jvm-${i}`;
    const { integrationId: _i, tenantId: _t, targetId: _g, createdAt: _c, createdBy: _b, version: _v, ...input } = aTarget();
    const target = await createTarget(deps, person(tenantId, 'ada', ['admin']), input);
    tenants.push({ requester: person(tenantId, 'alice', ['requester']), targetId: target.targetId });
  }
  /** `count` creates, WRITERS at a time; returns java CPU ms per create. */
  async function creates(pid: number, count: number): Promise<number> {
    const before = cpuMs(pid);
    await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = w; i < count; i += WRITERS) {
        const { requester, targetId } = tenants[i % TENANTS]!;
        await createRequest(deps, requester, { targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'jvm bench' });
      }
    }));
    return (cpuMs(pid) - before) / count;
  }
  return { creates, close: () => client.destroy() };
}

export async function main(): Promise<void> {
  const warmUp = Number(process.env.BENCH_JVM_WARM_UP ?? 1600);
  const perRound = Number(process.env.BENCH_JVM_CREATES ?? 400);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
  const chosen = configs();
  const started = await Promise.all(chosen.map(async (config) => {
    const t0 = performance.now();
    const local = await startDynamoDbLocal({ javaOptions: config.javaOptions });
    const pid = local.pid;
    return { config, local, pid, startMs: performance.now() - t0, startCpu: cpuMs(pid) };
  }));
  try {
    const runs = await Promise.all(started.map(async (s) => ({ ...s, world: await world(s.local) })));
    const warm: number[] = [];
    for (const run of runs) warm.push(await run.world.creates(run.pid, warmUp));
    const perCreate = runs.map(() => [] as number[]);
    const loads: string[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < runs.length; k++) {
        const i = (k + r) % runs.length;
        perCreate[i]!.push(await runs[i]!.world.creates(runs[i]!.pid, perRound));
      }
      loads.push(loadAverage());
    }
    const base = median(perCreate[0]!.sort((a, b) => a - b));
    const rows: (string | number)[][] = [['configuration', 'JVM options', 'start CPU ms', `warm-up ms/create (${warmUp})`, 'java ms/create min/med/max', `x ${runs[0]!.config.name}`]];
    runs.forEach((run, i) => {
      const xs = perCreate[i]!.sort((a, b) => a - b);
      rows.push([run.config.name, run.config.javaOptions.join(' ') || '(none)', run.startCpu, warm[i]!, `${xs[0]!.toFixed(1)} / ${median(xs).toFixed(1)} / ${xs.at(-1)!.toFixed(1)}`, median(xs) / base]);
    });
    console.log(`\n## DynamoDB Local: Java CPU per create-request by JVM options (${rounds} rotating rounds of ${perRound} creates, ${WRITERS} writers; load average per round ${loads.join(' | ')})\n`);
    console.log(table(rows));
    for (const run of runs) run.world.close();
  } finally {
    await Promise.all(started.map((s) => s.local.close()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
