import { AsyncLocalStorage } from 'node:async_hooks';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import type { Principal } from '#shared/kernel/principal';
import { approveRequest, createRequest } from '#shared/requests/use-cases';
import { createTarget } from '#shared/targets/use-cases';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { startDynamoDbLocal } from '#dev/dynamodb-local';
import { ensureTables, readTableSpecs } from '#dev/dynamodb-tables';
import { aTarget, anIntegration } from '../tests/support/minting-world.ts';
import { dynamoBenchDeps } from './dynamo-deps.ts';
import { median, percentile, table } from './stats.ts';
import { itemSize } from './capacity.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A tenant that scales with its writers (docs/grant-log.md, "Chains"). Against
// DynamoDB Local, through the real stores and use cases (STS and the signer are
// in-process fakes: this measures the store, not AWS):
// 1. N writers creating requests in ONE tenant vs the same N writers each in its
//    own tenant, interleaved round by round, at N = 1/4/8/16: changes/s, 409s, p99;
// 2. approve p99 with 8 approvers of one tenant deciding different requests at once;
// 3. DynamoDB calls and consumed capacity (ReturnConsumedCapacity INDEXES) per
//    create, approve and issue;
// 4. the main table's request indexes (GSI1, GSI2: ALL) against KEYS_ONLY, paired in one run, with a
//    short and a 1,000-character reason: what that projection change would save on create and approve.
// `npx tsx bench/tenant-writers.ts`; BENCH_WRITER_SECONDS (default 4) per measurement, BENCH_ROUNDS (default 3),
// BENCH_PARTS (default writers,approve,capacity,projections).

type Meter = { calls: number; rcu: number; wcu: number; indexWcu: number; byCommand: Record<string, number>; ms: Record<string, number[]>; eventBytes: number; checkpoints: number };

/** Set inside one approval's async context when its path wrote a checkpoint (so its latency can be told apart). */
const checkpointed = new AsyncLocalStorage<{ checkpoint: boolean }>();

function metered(db: DynamoDBDocumentClient): { meter: Meter; reset(): void } {
  const meter: Meter = { calls: 0, rcu: 0, wcu: 0, indexWcu: 0, byCommand: {}, ms: {}, eventBytes: 0, checkpoints: 0 };
  const send = db.send.bind(db) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  (db as unknown as { send: typeof send }).send = async (command, ...rest) => {
    const name = (command as object).constructor.name.replace(/Command$/, '');
    (command as { input: Record<string, unknown> }).input.ReturnConsumedCapacity = 'INDEXES';
    meter.calls += 1;
    meter.byCommand[name] = (meter.byCommand[name] ?? 0) + 1;
    // The size DynamoDB bills a stored event by (over 1 KB it costs twice, in the table and in each index).
    type Put = { Put?: { Item?: Record<string, unknown> } };
    for (const t of ((command as { input: { TransactItems?: Put[] } }).input.TransactItems ?? [])) {
      if (String(t.Put?.Item?.SK ?? '').startsWith('EV#')) meter.eventBytes = Math.max(meter.eventBytes, itemSize(t.Put!.Item!));
      if (String(t.Put?.Item?.GSI6PK ?? '').endsWith('#ACN#log.checkpoint')) {
        meter.checkpoints += 1;
        const call = checkpointed.getStore();
        if (call) call.checkpoint = true;
      }
    }
    const reads = name === 'Get' || name === 'BatchGet' || name === 'Query';
    const account = (result: unknown) => {
      const consumed = (result as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      type Capacity = { CapacityUnits?: number; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> };
      for (const c of (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Capacity[]) {
        if (reads) meter.rcu += c.CapacityUnits ?? 0;
        else meter.wcu += c.CapacityUnits ?? 0;
        if (!reads) for (const g of Object.values(c.GlobalSecondaryIndexes ?? {})) meter.indexWcu += g.CapacityUnits ?? 0;
      }
    };
    const started = performance.now();
    const took = () => (meter.ms[name] ??= []).push(performance.now() - started);
    try {
      const result = await send(command, ...rest);
      took();
      account(result);
      return result;
    } catch (error) {
      took();
      account(error);
      throw error;
    }
  };
  return { meter, reset: () => Object.assign(meter, { calls: 0, rcu: 0, wcu: 0, indexWcu: 0, byCommand: {}, ms: {}, eventBytes: 0, checkpoints: 0 }) };
}

const person = (tenantId: string, id: string, roles: string[], groups: string[] = []): Principal => ({ id, kind: 'user', tenantId, roles: roles as Principal['roles'], groups });

export async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_WRITER_SECONDS ?? 4);
  // BENCH_PARTS=approve,capacity runs only those sections (default: all four).
  const parts = new Set((process.env.BENCH_PARTS ?? 'writers,approve,capacity,projections').split(','));
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const local = await startDynamoDbLocal({});
  try {
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 3 });
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const tables = { main: 'bench-main', log: 'bench-log' };
    await ensureTables(client, readTableSpecs(tables));
    const { meter, reset } = metered(db);
    const deps = dynamoBenchDeps(db, tables);

    async function tenantWithTarget(tenantId: string, approvalsRequired = 1, on = deps): Promise<string> {
      const admin = person(tenantId, 'ada', ['admin']);
      const { integrationId: _i, tenantId: _t, targetId: _g, createdAt: _c, createdBy: _b, version: _v, ...input } = aTarget();
      const target = await createTarget(on, admin, { ...input, policy: { ...input.policy, approvalsRequired, approvers: { groups: ['dba'], principals: [] } } });
      return target.targetId;
    }
    const ask = (targetId: string, reason = 'bench') => ({ targetId, databaseUser: 'app_ro', durationMinutes: 60, reason });

    // 1. One tenant vs own tenants, N writers, for `seconds`, interleaved per round.
    async function writers(n: number, sameTenant: boolean): Promise<{ perSecond: number; conflicts: number; latencies: number[] }> {
      const tenants = await Promise.all(Array.from({ length: sameTenant ? 1 : n }, async (_, i) => {
        const tenantId = `bench-${sameTenant ? 'one' : 'own'}-${n}-${i}-${Date.now().toString(36)}`;
        return { tenantId, targetId: await tenantWithTarget(tenantId) };
      }));
      const until = Date.now() + seconds * 1000;
      let done = 0;
      let conflicts = 0;
      const latencies: number[] = [];
      await Promise.all(Array.from({ length: n }, async (_, w) => {
        const { tenantId, targetId } = tenants[sameTenant ? 0 : w]!;
        const alice = person(tenantId, `writer-${w}`, ['requester']);
        while (Date.now() < until) {
          const started = performance.now();
          try {
            await createRequest(deps, alice, ask(targetId));
            done += 1;
            latencies.push(performance.now() - started);
          } catch (error) {
            if (error instanceof ConcurrentModificationError) conflicts += 1;
            else throw error;
          }
        }
      }));
      return { perSecond: done / seconds, conflicts, latencies: latencies.sort((a, b) => a - b) };
    }

    if (parts.has('writers')) {
      console.log(`\n## One tenant vs own tenants: create-request through the real stores on DynamoDB Local (${seconds} s each, ${rounds} interleaved rounds)\n`);
      const rows: (string | number)[][] = [['writers', 'one tenant /s (min/med/max)', 'own tenants /s (min/med/max)', 'ratio (medians)', '409s one/own', 'p99 ms one/own']];
      for (const n of [1, 4, 8, 16]) {
        const one: Awaited<ReturnType<typeof writers>>[] = [];
        const own: Awaited<ReturnType<typeof writers>>[] = [];
        for (let r = 0; r < rounds; r++) {
          // Alternate which goes first, so neither always runs on a warmer machine.
          if (r % 2) own.push(await writers(n, false)), one.push(await writers(n, true));
          else one.push(await writers(n, true)), own.push(await writers(n, false));
        }
        const mmm = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return `${s[0]!.toFixed(0)}/${median(s).toFixed(0)}/${s.at(-1)!.toFixed(0)}`; };
        const rate = (xs: typeof one) => xs.map((x) => x.perSecond);
        rows.push([
          String(n),
          mmm(rate(one)),
          mmm(rate(own)),
          (median(rate(one)) / median(rate(own))).toFixed(2) + '×',
          `${one.reduce((a, x) => a + x.conflicts, 0)}/${own.reduce((a, x) => a + x.conflicts, 0)}`,
          `${median(one.map((x) => percentile(x.latencies, 99))).toFixed(0)}/${median(own.map((x) => percentile(x.latencies, 99))).toFixed(0)}`,
        ]);
      }
      console.log(table(rows));
    }

    // 2. Approve p99 with 8 approvers deciding at once, paired round by round with
    //    (a) the same 8 approvers each in its own tenant and (b) 8 bare TransactWriteItems
    //    of the same shape (request Put + event Put + head Put, no reads, no use case):
    //    what DynamoDB Local itself takes for one transaction at this concurrency.
    if (parts.has('approve')) {
      const approvers = (tenantId: string, i: number) => person(tenantId, `approver-${i}`, ['approver'], ['dba']);
      const one = { tenantId: `bench-approve-${Date.now().toString(36)}`, targetId: '' };
      one.targetId = await tenantWithTarget(one.tenantId);
      const own = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        const tenantId = `bench-approve-own-${i}-${Date.now().toString(36)}`;
        return { tenantId, targetId: await tenantWithTarget(tenantId) };
      }));
      const samples = { one: [] as number[], own: [] as number[], bare: [] as number[], oneWithCheckpoint: [] as number[], oneWithout: [] as number[] };
      const perCall: Record<string, number[]> = {};
      let decisions = 0;
      let refused = 0;
      let transactions = 0;
      let checkpoints = 0;
      const decideAll = async (who: { tenantId: string; targetId: string }[], into: number[], profile: boolean) => {
        const pending = await Promise.all(who.map(({ tenantId, targetId }) => createRequest(deps, person(tenantId, 'alice', ['requester']), ask(targetId))));
        if (profile) reset();
        await Promise.all(who.map(async ({ tenantId }, i) => {
          const started = performance.now();
          const call = { checkpoint: false };
          try {
            await checkpointed.run(call, () => approveRequest(deps, approvers(tenantId, i), { requestId: pending[i]!.requestId }));
            into.push(performance.now() - started);
            if (profile) (call.checkpoint ? samples.oneWithCheckpoint : samples.oneWithout).push(performance.now() - started);
          } catch {
            refused += 1;
          }
        }));
        if (profile) {
          decisions += who.length;
          transactions += meter.byCommand.TransactWrite ?? 0;
          checkpoints += meter.checkpoints;
          for (const [name, ms] of Object.entries(meter.ms)) (perCall[name] ??= []).push(...ms);
        }
      };
      let bareNext = 0;
      const bare = async () => {
        await Promise.all(Array.from({ length: 8 }, async () => {
          const n = bareNext++;
          const tenantId = `bench-bare-${n % 8}`;
          const started = performance.now();
          await db.send(new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tables.main, Item: { PK: `T#${tenantId}`, SK: `REQ#bare-${n}`, status: 'approved', version: 2, pad: 'x'.repeat(500) } } },
              { Put: { TableName: tables.log, Item: { PK: `T#${tenantId}#C#${String(n % 32).padStart(2, '0')}`, SK: `EV#${String(n).padStart(12, '0')}`, pad: 'x'.repeat(400) }, ConditionExpression: 'attribute_not_exists(PK)' } },
              { Put: { TableName: tables.log, Item: { PK: `T#${tenantId}#C#${String(n % 32).padStart(2, '0')}`, SK: 'HEAD', seq: n } } },
            ],
          }));
          samples.bare.push(performance.now() - started);
        }));
      };
      // Untimed rounds first: DynamoDB Local's JIT compiles its transaction path over the first few hundred
      // requests (docs/benchmarks.md, open loop), and a dev stack that has served a minute is past that.
      const warmup = Number(process.env.BENCH_APPROVE_WARMUP ?? 5);
      for (let r = 0; r < warmup; r++) await Promise.all([decideAll(Array(8).fill(one), [], false), decideAll(own, [], false), bare()]);
      samples.bare.length = 0;
      refused = 0;
      for (let r = 0; r < 25; r++) {
        // Rotate which goes first, so none always runs on a warmer machine.
        const order = [() => decideAll(Array(8).fill(one), samples.one, true), () => decideAll(own, samples.own, false), bare];
        for (let k = 0; k < 3; k++) await order[(r + k) % 3]!();
      }
      const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q);
      console.log(`\n## Approve, 8 approvers deciding at once (${warmup} untimed rounds, then 25 interleaved; ${decisions} decisions in one tenant, refused ${refused})\n`);
      console.log(table([
        ['what', 'p50 ms', 'p99 ms', 'p99 × bare transaction'],
        ['approve, 8 approvers of one tenant', p(samples.one, 50), p(samples.one, 99), (p(samples.one, 99) / p(samples.bare, 99)).toFixed(2) + '×'],
        ['approve, 8 approvers in 8 tenants', p(samples.own, 50), p(samples.own, 99), (p(samples.own, 99) / p(samples.bare, 99)).toFixed(2) + '×'],
        ['bare TransactWriteItems (3 Puts), 8 at once', p(samples.bare, 50), p(samples.bare, 99), '1.00×'],
      ]));
      console.log(`goal: approve p99 < 100 ms locally. One-tenant ratio to own tenants: ${(p(samples.one, 99) / p(samples.own, 99)).toFixed(2)}× at p99.`);
      const slowest = [...samples.one].sort((a, b) => b - a).slice(0, Math.ceil(samples.one.length / 50));
      const cut = Math.min(...slowest);
      console.log(
        `One tenant's approvals that wrote a checkpoint on their way: ${samples.oneWithCheckpoint.length}, p50 ${p(samples.oneWithCheckpoint, 50).toFixed(0)} ms / max ${Math.max(...samples.oneWithCheckpoint).toFixed(0)} ms;` +
          ` without: ${samples.oneWithout.length}, p50 ${p(samples.oneWithout, 50).toFixed(0)} / p99 ${p(samples.oneWithout, 99).toFixed(0)} ms.` +
          ` Of the slowest 2 % (${slowest.length}), ${samples.oneWithCheckpoint.filter((ms) => ms >= cut).length} wrote one.`,
      );
      console.log(`\nWhere one tenant's approvals spend it: ${decisions} decisions, ${transactions} transactions (${checkpoints} of them checkpoints, ${transactions - decisions - checkpoints} retries of a lost head or version):\n`);
      console.log(table([['call', 'count', 'p50 ms', 'p99 ms'], ...Object.entries(perCall).map(([name, ms]) => [name, String(ms.length), p(ms, 50), p(ms, 99)])]));
    }

    // 3. Calls and capacity per operation.
    if (parts.has('capacity')) {
      const tenantId = `bench-cost-${Date.now().toString(36)}`;
      const targetId = await tenantWithTarget(tenantId);
      // Link the target to a verified integration, so issuance runs its whole path.
      const integration = anIntegration({ tenantId, integrationId: 'int_01JBENCHINTEGRATION01' });
      await deps.integrations.create(integration, { tenantId, at: new Date().toISOString(), action: 'integration.created', actorId: 'ada', actorKind: 'user', outcome: 'success' });
      const target = (await deps.targets.get(tenantId, targetId))!;
      await deps.targets.save({ ...target, integrationId: integration.integrationId, accountId: integration.accountId, version: target.version + 1 }, target.version, { tenantId, at: new Date().toISOString(), action: 'policy.updated', actorId: 'ada', actorKind: 'user', outcome: 'success', targetId });
      const alice = person(tenantId, 'alice', ['requester']);
      const bob = person(tenantId, 'bob', ['approver'], ['dba']);
      // main @ db61908 (before the log's projections, key-carried fields and sparse checkpoints),
      // measured by this bench: capacity is a function of item sizes and indexes, not of load.
      const baseline: Record<string, { calls: number; rcu: number; wcu: number; indexWcu: number }> = {
        'create request': { calls: 3, rcu: 2, wcu: 26, indexWcu: 20 },
        approve: { calls: 3, rcu: 3, wcu: 30, indexWcu: 24 },
        'issue credentials (no tunnel)': { calls: 3, rcu: 4, wcu: 36, indexWcu: 28 },
      };
      const costs: (string | number)[][] = [['operation', 'calls (base)', 'commands', 'RCU (base)', 'WCU (base)', 'of which index WCU (base)', 'WCU × base', 'log event bytes']];
      const measure = async (name: string, run: () => Promise<unknown>) => {
        // Warm once (the writer's first write of a chain differs), then measure the median of 5.
        const samples: Meter[] = [];
        for (let i = 0; i < 6; i++) {
          reset();
          await run();
          if (i > 0) samples.push({ ...meter, byCommand: { ...meter.byCommand }, ms: {} });
        }
        const m = samples[Math.floor(samples.length / 2)]!;
        const b = baseline[name]!;
        costs.push([name, `${m.calls} (${b.calls})`, Object.entries(m.byCommand).map(([k, v]) => `${k}×${v}`).join(' '), `${m.rcu} (${b.rcu})`, `${m.wcu} (${b.wcu})`, `${m.indexWcu} (${b.indexWcu})`, (m.wcu / b.wcu).toFixed(2) + '×', String(m.eventBytes)]);
      };
      let request = await createRequest(deps, alice, ask(targetId));
      await measure('create request', async () => (request = await createRequest(deps, alice, ask(targetId))));
      const forApproval: string[] = [];
      for (let i = 0; i < 6; i++) forApproval.push((await createRequest(deps, alice, ask(targetId))).requestId);
      let k = 0;
      await measure('approve', () => approveRequest(deps, bob, { requestId: forApproval[k++]! }));
      await approveRequest(deps, bob, { requestId: request.requestId });
      await measure('issue credentials (no tunnel)', () => issueCredentials(deps, alice, { requestId: request.requestId }));
      console.log('\n## DynamoDB calls and consumed capacity per operation (ReturnConsumedCapacity INDEXES, median of 5; base = main @ db61908)\n');
      console.log(table(costs));
      console.log('goal: issuance ≤ 50 % of the base WCU (≤ 18); create and approve likewise trimmed.');
      console.log('(DynamoDB Local reports ConsumedCapacity with the same rules as DynamoDB: a transactional write is 2 WCU per KB, in the table and in each index entry written; a strongly consistent read 1 RCU per 4 KB.)');
    }

    // 4. The request indexes' projection, paired: the deployed tables against the same with GSI1 and GSI2 KEYS_ONLY.
    if (parts.has('projections')) {
      const keysOnly = { main: 'bench-main-keys-only', log: 'bench-log-keys-only' };
      const specs = readTableSpecs(keysOnly);
      for (const index of specs.find((t) => t.input.TableName === keysOnly.main)!.input.GlobalSecondaryIndexes ?? []) index.Projection = { ProjectionType: 'KEYS_ONLY' };
      await ensureTables(client, specs);
      const variants = [{ name: 'ALL (deployed)', deps }, { name: 'KEYS_ONLY', deps: dynamoBenchDeps(db, keysOnly) }];
      const rows: (string | number)[][] = [['request indexes GSI1, GSI2', 'reason', 'create WCU', 'approve WCU', 'create × ALL', 'approve × ALL']];
      for (const reasonChars of [5, 1000]) {
        const wcu: Record<string, { create: number[]; approve: number[] }> = {};
        for (let round = 0; round < 3; round++) {
          for (const v of round % 2 ? [...variants].reverse() : variants) {
            const tenantId = `bench-proj-${round}-${reasonChars}-${Date.now().toString(36)}`;
            const targetId = await tenantWithTarget(tenantId, 1, v.deps);
            const alice = person(tenantId, 'alice', ['requester']);
            const bob = person(tenantId, 'bob', ['approver'], ['dba']);
            const into = (wcu[v.name] ??= { create: [], approve: [] });
            reset();
            const request = await createRequest(v.deps, alice, ask(targetId, 'r'.repeat(reasonChars)));
            into.create.push(meter.wcu);
            reset();
            await approveRequest(v.deps, bob, { requestId: request.requestId, note: 'n'.repeat(reasonChars) });
            into.approve.push(meter.wcu);
          }
        }
        const all = wcu['ALL (deployed)']!;
        for (const v of variants) {
          const w = wcu[v.name]!;
          rows.push([v.name, `${reasonChars} chars (and the approval note)`, median(w.create), median(w.approve), (median(w.create) / median(all.create)).toFixed(2) + '×', (median(w.approve) / median(all.approve)).toFixed(2) + '×']);
        }
      }
      console.log('\n## The request indexes\' projection: ALL against KEYS_ONLY, paired in one run (WCU, median of 3)\n');
      console.log(table(rows));
      console.log('KEYS_ONLY would cost every list page of requests a BatchGetItem for the items (docs/grant-log.md, "What the indexes cost").');
    }
  } finally {
    await local.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
