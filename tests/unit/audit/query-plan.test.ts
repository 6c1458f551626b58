import { chainOfRequest } from '#shared/grant-log/chains';
import { describe, expect, it } from 'vitest';
import { planLogQuery } from '#shared/adapters/dynamodb/log-query-plan';
import { logKeys } from '#shared/adapters/dynamodb/keys';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { filterBinding, type LogFilter, normalizeFilter } from '#shared/audit/filter';

const t = 'acme';
const tgt = 'tgt_01JTESTTARGETAAAA';

describe('choosing the index for a filter', () => {
  it.each<[string, Omit<LogFilter, 'order'>, string, string, string[]]>([
    ['nothing: the tenant by time', {}, 'GSI7', 'T#acme', []],
    ['a requester', { requesterId: 'alice' }, 'GSI2', 'T#acme#RQR#alice', []],
    ['a target', { targetId: tgt }, 'GSI3', `T#acme#TGT#${tgt}`, []],
    ['target + database user: the target, filtered', { targetId: tgt, databaseUser: 'app_ro' }, 'GSI3', `T#acme#TGT#${tgt}`, ['databaseUser']],
    ['a database user alone: the tenant, filtered', { databaseUser: 'app_ro' }, 'GSI7', 'T#acme', ['databaseUser']],
    ['an actor', { actorId: 'dana' }, 'GSI5', 'T#acme#ACT#dana', []],
    ['an action', { action: 'request.approved' }, 'GSI6', 'T#acme#ACN#request.approved', []],
    ['requester wins over target', { requesterId: 'alice', targetId: tgt, databaseUser: 'app_ro' }, 'GSI2', 'T#acme#RQR#alice', ['targetId', 'databaseUser']],
    ['target wins over actor and action', { targetId: tgt, actorId: 'dana', action: 'request.approved' }, 'GSI3', `T#acme#TGT#${tgt}`, ['actorId', 'action']],
    ['actor wins over action', { actorId: 'dana', action: 'request.approved' }, 'GSI5', 'T#acme#ACT#dana', ['action']],
  ])('%s', (_name, filter, index, partition, residual) => {
    const plan = planLogQuery(t, { ...filter, order: 'newest' });
    expect(plan.index).toBe(index);
    expect(plan.partition.value).toBe(partition);
    expect(plan.residual.map((r) => r.attribute)).toEqual(residual);
  });

  it('writes every key the plans query, and only keys its content implies', () => {
    const keys = logKeys.indexes({ tenantId: t, seq: 7, at: '2026-11-24T09:00:00.000Z', actorId: 'dana', action: 'request.approved', requestId: 'req_1', requesterId: 'alice', targetId: tgt, databaseUser: 'app_ro' });
    const chain = String(chainOfRequest('req_1')).padStart(2, '0');
    expect(keys).toEqual({
      ATSEQ: `2026-11-24T09:00:00.000Z#${chain}#000000000007`,
      GSI1PK: 'T#acme#REQ#req_1',
      GSI2PK: 'T#acme#RQR#alice',
      GSI3PK: `T#acme#TGT#${tgt}`,
      GSI5PK: 'T#acme#ACT#dana',
      GSI6PK: 'T#acme#ACN#request.approved',
      GSI7PK: 'T#acme',
    });
    // Sparse: a target event has no requester, request or database user keys.
    expect(Object.keys(logKeys.indexes({ tenantId: t, seq: 1, at: '2026-11-24T09:00:00.000Z', actorId: 'erin', action: 'target.created', targetId: tgt })).sort()).toEqual(['ATSEQ', 'GSI3PK', 'GSI5PK', 'GSI6PK', 'GSI7PK']);
    // A checkpoint is the log's own bookkeeping: in the action index (verify finds the newest there), in no auditor listing.
    expect(Object.keys(logKeys.indexes({ tenantId: t, seq: 3, at: '2026-11-24T09:00:00.000Z', actorId: 'latchkey', action: 'log.checkpoint' })).sort()).toEqual(['ATSEQ', 'GSI6PK']);
  });

  it('still knows the keys earlier versions wrote: every index, GSI1SK, and GSI4PK (target + database user)', () => {
    const event = { tenantId: t, seq: 7, at: '2026-11-24T09:00:00.000Z', actorId: 'dana', action: 'request.approved', requestId: 'req_1', requesterId: 'alice', targetId: tgt, databaseUser: 'app_ro' };
    expect(logKeys.legacyIndexes(event)).toEqual({ ...logKeys.indexes(event), GSI1SK: 'EV#000000000007', GSI4PK: `T#acme#TGT#${tgt}#DBU#app_ro` });
    const checkpoint = { tenantId: t, seq: 3, at: '2026-11-24T09:00:00.000Z', actorId: 'latchkey', action: 'log.checkpoint' };
    expect(Object.keys(logKeys.legacyIndexes(checkpoint)).sort()).toEqual(['ATSEQ', 'GSI5PK', 'GSI6PK', 'GSI7PK']);
  });
});

describe('cursor bindings', () => {
  const base: LogFilter = { requesterId: 'alice', from: '2026-11-24T09:00:00.000Z', order: 'newest' };
  const bind = (tenant: string, f: LogFilter) => filterBinding(tenant, 'events', normalizeFilter(f));

  it('are equal for the same filter however its instants are spelled', () => {
    expect(bind(t, { ...base, from: '2026-11-24T10:00:00+01:00' })).toBe(bind(t, base));
    expect(bind(t, { ...base, targetId: undefined })).toBe(bind(t, base));
  });

  it.each<[string, string, LogFilter]>([
    ['another tenant', 'globex', base],
    ['another requester', t, { ...base, requesterId: 'bob' }],
    ['another order', t, { ...base, order: 'oldest' }],
    ['another range', t, { ...base, to: '2026-11-25T00:00:00.000Z' }],
  ])('differ for %s', (_name, tenant, filter) => {
    expect(bind(tenant, filter)).not.toBe(bind(t, base));
  });
});

describe('the log’s own checkpoints', () => {
  it('are asked for by their action alone: the action index serves, whatever else is named', () => {
    expect(planLogQuery(t, { action: 'log.checkpoint', actorId: 'latchkey', order: 'newest' })).toMatchObject({ index: 'GSI6', partition: { value: 'T#acme#ACN#log.checkpoint' } });
  });
});

describe('what the log indexes project (infra/tables.yml)', () => {
  type Index = { IndexName: string; KeySchema: { AttributeName: string }[]; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } };
  const tables = parse(readFileSync(new URL('../../../infra/tables.yml', import.meta.url), 'utf8')) as { GrantLogTable: { Properties: { GlobalSecondaryIndexes: Index[] } } };
  const indexes = new Map(tables.GrantLogTable.Properties.GlobalSecondaryIndexes.map((i) => [i.IndexName, i]));
  const fields = { requesterId: 'alice', targetId: tgt, databaseUser: 'app_ro', actorId: 'dana', action: 'request.approved' } as const;
  const names = Object.keys(fields) as (keyof typeof fields)[];
  // Every combination of filters: whatever index a plan picks holds every attribute its FilterExpression names.
  const combinations = Array.from({ length: 2 ** names.length }, (_, bits) => Object.fromEntries(names.filter((_, i) => bits & (1 << i)).map((n) => [n, fields[n]])));

  it.each(combinations.map((c) => [JSON.stringify(c), c] as const))('%s: the chosen index holds what its filter compares', (_name, filter) => {
    const plan = planLogQuery(t, { ...filter, order: 'newest' });
    const index = indexes.get(plan.index)!;
    const held = new Set([...index.KeySchema.map((k) => k.AttributeName), ...(index.Projection.NonKeyAttributes ?? []), 'PK', 'SK']);
    expect(index.Projection.ProjectionType).not.toBe('ALL');
    for (const r of plan.residual) expect(held).toContain(r.name);
  });

  it('projects no whole events anywhere', () => {
    // GSI8 (the chain heads, for the digest job) is keys only too.
    expect([...indexes.values()].map((i) => i.Projection.ProjectionType)).toEqual(['KEYS_ONLY', 'INCLUDE', 'INCLUDE', 'INCLUDE', 'INCLUDE', 'INCLUDE', 'KEYS_ONLY']);
  });
});
