import { chainOfRequest } from '#shared/grant-log/chains';
import { describe, expect, it } from 'vitest';
import { planLogQuery } from '#shared/adapters/dynamodb/log-query-plan';
import { logKeys } from '#shared/adapters/dynamodb/keys';
import { filterBinding, type LogFilter, normalizeFilter } from '#shared/audit/filter';

const t = 'acme';
const tgt = 'tgt_01JTESTTARGETAAAA';

describe('choosing the index for a filter', () => {
  it.each<[string, Omit<LogFilter, 'order'>, string, string, string[]]>([
    ['nothing: the tenant by time', {}, 'GSI7', 'T#acme', []],
    ['a requester', { requesterId: 'alice' }, 'GSI2', 'T#acme#RQR#alice', []],
    ['a target', { targetId: tgt }, 'GSI3', `T#acme#TGT#${tgt}`, []],
    ['target + database user: the composite key', { targetId: tgt, databaseUser: 'app_ro' }, 'GSI4', `T#acme#TGT#${tgt}#DBU#app_ro`, []],
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
      GSI1SK: 'EV#000000000007',
      GSI2PK: 'T#acme#RQR#alice',
      GSI3PK: `T#acme#TGT#${tgt}`,
      GSI4PK: `T#acme#TGT#${tgt}#DBU#app_ro`,
      GSI5PK: 'T#acme#ACT#dana',
      GSI6PK: 'T#acme#ACN#request.approved',
      GSI7PK: 'T#acme',
    });
    // Sparse: a target event has no requester, request or database user keys.
    expect(Object.keys(logKeys.indexes({ tenantId: t, seq: 1, at: '2026-11-24T09:00:00.000Z', actorId: 'erin', action: 'target.created', targetId: tgt })).sort()).toEqual(['ATSEQ', 'GSI3PK', 'GSI5PK', 'GSI6PK', 'GSI7PK']);
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
