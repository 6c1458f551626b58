import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { DynamoTargetStore } from '#shared/adapters/dynamodb/target-store';
import { DynamoServiceStore } from '#shared/adapters/dynamodb/service-store';
import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { DynamoIssuanceStore } from '#shared/adapters/dynamodb/issuance-store';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import type { Principal } from '#shared/kernel/principal';
import { approveRequest, createRequest } from '#shared/requests/use-cases';
import { createTarget } from '#shared/targets/use-cases';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { startDynamoDbLocal } from '#dev/dynamodb-local';
import { ensureTables, readTableSpecs } from '#dev/dynamodb-tables';
import { FakeRoleAssumer, FakeSessionStarter, FakeTokenSigner } from '../tests/support/fakes/minting.ts';
import { FakeMetrics } from '../tests/support/fakes/metrics.ts';
import { aTarget, anIntegration } from '../tests/support/minting-world.ts';
import { median, percentile, table } from './stats.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A tenant that scales with its writers (docs/grant-log.md, "Chains"). Against
// DynamoDB Local, through the real stores and use cases (STS and the signer are
// in-process fakes: this measures the store, not AWS):
// 1. N writers creating requests in ONE tenant vs the same N writers each in its
//    own tenant, interleaved round by round, at N = 1/4/8/16: changes/s, 409s, p99;
// 2. approve p99 with 8 approvers of one tenant deciding different requests at once;
// 3. DynamoDB calls and consumed capacity (ReturnConsumedCapacity INDEXES) per
//    create, approve and issue.
// `npx tsx bench/tenant-writers.ts`; BENCH_WRITER_SECONDS (default 4) per measurement, BENCH_ROUNDS (default 3).

type Meter = { calls: number; rcu: number; wcu: number; indexWcu: number; byCommand: Record<string, number> };

function metered(db: DynamoDBDocumentClient): { meter: Meter; reset(): void } {
  const meter: Meter = { calls: 0, rcu: 0, wcu: 0, indexWcu: 0, byCommand: {} };
  const send = db.send.bind(db) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  (db as unknown as { send: typeof send }).send = async (command, ...rest) => {
    const name = (command as object).constructor.name.replace(/Command$/, '');
    (command as { input: Record<string, unknown> }).input.ReturnConsumedCapacity = 'INDEXES';
    meter.calls += 1;
    meter.byCommand[name] = (meter.byCommand[name] ?? 0) + 1;
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
    try {
      const result = await send(command, ...rest);
      account(result);
      return result;
    } catch (error) {
      account(error);
      throw error;
    }
  };
  return { meter, reset: () => Object.assign(meter, { calls: 0, rcu: 0, wcu: 0, indexWcu: 0, byCommand: {} }) };
}

const person = (tenantId: string, id: string, roles: string[], groups: string[] = []): Principal => ({ id, kind: 'user', tenantId, roles: roles as Principal['roles'], groups });

export async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_WRITER_SECONDS ?? 4);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const local = await startDynamoDbLocal({});
  try {
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 3 });
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const tables = { main: 'bench-main', log: 'bench-log' };
    await ensureTables(client, readTableSpecs(tables));
    const { meter, reset } = metered(db);
    const log = new LogWriter(db, tables);
    let next = 0;
    const deps = {
      clock: { now: () => new Date() },
      ids: { next: (prefix: 'req' | 'tgt' | 'int') => `${prefix}_01JBENCH${String(next++).padStart(12, '0')}${Math.random().toString(36).slice(2, 8)}` },
      targets: new DynamoTargetStore(db, tables, log),
      requests: new DynamoRequestStore(db, tables, log),
      services: new DynamoServiceStore(db, tables, log),
      integrations: new DynamoIntegrationRegistry(db, tables, log),
      issuances: new DynamoIssuanceStore(db, tables, log),
      roleAssumer: new FakeRoleAssumer(),
      tokenSigner: new FakeTokenSigner(),
      sessionStarter: new FakeSessionStarter(),
      metrics: new FakeMetrics(),
    };

    async function tenantWithTarget(tenantId: string, approvalsRequired = 1): Promise<string> {
      const admin = person(tenantId, 'ada', ['admin']);
      const { integrationId: _i, tenantId: _t, targetId: _g, createdAt: _c, createdBy: _b, version: _v, ...input } = aTarget();
      const target = await createTarget(deps, admin, { ...input, policy: { ...input.policy, approvalsRequired, approvers: { groups: ['dba'], principals: [] } } });
      return target.targetId;
    }
    const ask = (targetId: string) => ({ targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'bench' });

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

    // 2. Approve p99: 8 approvers of one tenant, each deciding its own pending request, all at once, repeated.
    {
      const tenantId = `bench-approve-${Date.now().toString(36)}`;
      const targetId = await tenantWithTarget(tenantId);
      const alice = person(tenantId, 'alice', ['requester']);
      const approvers = Array.from({ length: 8 }, (_, i) => person(tenantId, `approver-${i}`, ['approver'], ['dba']));
      const latencies: number[] = [];
      let refused = 0;
      for (let r = 0; r < 25; r++) {
        const pending = await Promise.all(approvers.map(() => createRequest(deps, alice, ask(targetId))));
        await Promise.all(approvers.map(async (approver, i) => {
          const started = performance.now();
          try {
            await approveRequest(deps, approver, { requestId: pending[i]!.requestId });
            latencies.push(performance.now() - started);
          } catch {
            refused += 1;
          }
        }));
      }
      latencies.sort((a, b) => a - b);
      console.log(`\napprove, 8 approvers of one tenant at once (${latencies.length} decisions): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (goal < 100 ms), refused ${refused}`);
    }

    // 3. Calls and capacity per operation.
    {
      const tenantId = `bench-cost-${Date.now().toString(36)}`;
      const targetId = await tenantWithTarget(tenantId);
      // Link the target to a verified integration, so issuance runs its whole path.
      const integration = anIntegration({ tenantId, integrationId: 'int_01JBENCHINTEGRATION01' });
      await deps.integrations.create(integration, { tenantId, at: new Date().toISOString(), action: 'integration.created', actorId: 'ada', actorKind: 'user', outcome: 'success' });
      const target = (await deps.targets.get(tenantId, targetId))!;
      await deps.targets.save({ ...target, integrationId: integration.integrationId, accountId: integration.accountId, version: target.version + 1 }, target.version, { tenantId, at: new Date().toISOString(), action: 'policy.updated', actorId: 'ada', actorKind: 'user', outcome: 'success', targetId });
      const alice = person(tenantId, 'alice', ['requester']);
      const bob = person(tenantId, 'bob', ['approver'], ['dba']);
      const costs: (string | number)[][] = [['operation', 'calls', 'commands', 'RCU', 'WCU', 'of which index WCU']];
      const measure = async (name: string, run: () => Promise<unknown>) => {
        // Warm once (the writer's first write of a chain differs), then measure the median of 5.
        const samples: Meter[] = [];
        for (let i = 0; i < 6; i++) {
          reset();
          await run();
          if (i > 0) samples.push({ ...meter, byCommand: { ...meter.byCommand } });
        }
        const m = samples[Math.floor(samples.length / 2)]!;
        costs.push([name, String(m.calls), Object.entries(m.byCommand).map(([k, v]) => `${k}×${v}`).join(' '), m.rcu, m.wcu, m.indexWcu]);
      };
      let request = await createRequest(deps, alice, ask(targetId));
      await measure('create request', async () => (request = await createRequest(deps, alice, ask(targetId))));
      const forApproval: string[] = [];
      for (let i = 0; i < 6; i++) forApproval.push((await createRequest(deps, alice, ask(targetId))).requestId);
      let k = 0;
      await measure('approve', () => approveRequest(deps, bob, { requestId: forApproval[k++]! }));
      await approveRequest(deps, bob, { requestId: request.requestId });
      await measure('issue credentials (no tunnel)', () => issueCredentials(deps, alice, { requestId: request.requestId }));
      console.log('\n' + table(costs));
      console.log('(DynamoDB Local reports ConsumedCapacity with the same rules as DynamoDB: a transactional write is 2 WCU per KB, a strongly consistent read 1 RCU per 4 KB.)');
    }
  } finally {
    await local.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
