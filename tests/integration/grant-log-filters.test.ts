import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { LogAction, type LogEntry, type LogEvent } from '#shared/grant-log/events';
import { compareEvents, matchesFilter, type LogFilter } from '#shared/audit/filter';
import { ForbiddenError } from '#shared/kernel/errors';
import { listEvents } from '#shared/audit/query-events';
import { user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { allPages, auditor, logEntry, recordCommands, writeEntries } from '../support/grant-log.ts';

const stores = dynamoStores();
const sent = recordCommands(stores.db);
const deps = { log: new DynamoGrantLogReader(stores.db, stores.tables) };

const requesters = ['alice', 'bob', 'carol'];
const targets = ['tgt_01JTESTTARGETAAAA', 'tgt_01JTESTTARGETBBBB'];
const users = ['app_ro', 'app_rw'];
const actions = [LogAction.requestCreated, LogAction.requestApproved, LogAction.credentialsIssued, LogAction.requestRevoked];
const day = (d: number, minute: number) => new Date(Date.UTC(2026, 10, 20 + d, 9, minute)).toISOString();

/** A deterministic spread over every dimension, with equal times (ties broken by seq) and events without a requester. */
function seed(tenantId: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = 0; i < 60; i++) {
    const action = actions[i % 4]!;
    const requesterId = requesters[i % 3]!;
    const actorId = action === LogAction.requestApproved ? 'dana' : action === LogAction.requestRevoked ? 'latchkey' : requesterId;
    out.push(
      logEntry(tenantId, {
        at: day(i % 5, Math.floor(i / 10)),
        action,
        actorId,
        actorKind: actorId === 'latchkey' ? 'system' : 'user',
        requesterId,
        requestId: `req_01JTESTREQUEST${String(i % 7).padStart(4, '0')}`,
        targetId: targets[i % 2]!,
        databaseUser: users[Math.floor(i / 2) % 2]!,
      }),
    );
  }
  const { requestId: _r, requesterId: _q, databaseUser: _d, ...targetEvent } = logEntry(tenantId, { action: LogAction.targetCreated, actorId: 'erin', at: day(2, 3), targetId: targets[0]! });
  out.push(targetEvent);
  return out;
}

let tenant: string;
let events: LogEvent[];

beforeAll(async () => {
  tenant = freshTenant('filters');
  await writeEntries(stores.log, seed(tenant));
  // Every stored event, the writer's checkpoints (log.checkpoint) among them.
  events = await stores.events(tenant);
  expect(events.some((e) => e.action === 'log.checkpoint')).toBe(true);
  // The same shape in another tenant: none of it may ever show up.
  await writeEntries(stores.log, seed(freshTenant('other')));
});

afterAll(() => {
  expect(sent.filter((c) => /Scan/.test(c.name))).toEqual([]);
  expect(sent.some((c) => c.name === 'QueryCommand')).toBe(true);
});

const cases: [string, Omit<LogFilter, 'order'>, string][] = [
  ['the whole tenant', {}, 'GSI7'],
  ['a requester', { requesterId: 'bob' }, 'GSI2'],
  ['a target', { targetId: targets[0]! }, 'GSI3'],
  ['a target and database user (the target, filtered)', { targetId: targets[1]!, databaseUser: 'app_rw' }, 'GSI3'],
  ['a database user on any target', { databaseUser: 'app_ro' }, 'GSI7'],
  ['an approver', { actorId: 'dana' }, 'GSI5'],
  ['the system actor', { actorId: 'latchkey' }, 'GSI5'],
  ['an action', { action: LogAction.credentialsIssued }, 'GSI6'],
  ['a time range', { from: day(1, 0), to: day(3, 0) }, 'GSI7'],
  ['from only', { from: day(3, 2) }, 'GSI7'],
  ['to only (exclusive)', { to: day(1, 0) }, 'GSI7'],
  ['requester and target', { requesterId: 'alice', targetId: targets[0]! }, 'GSI2'],
  ['requester, action and range', { requesterId: 'carol', action: LogAction.requestCreated, from: day(1, 0), to: day(4, 0) }, 'GSI2'],
  ['target, database user and requester', { targetId: targets[0]!, databaseUser: 'app_ro', requesterId: 'alice' }, 'GSI2'],
  ['target and action', { targetId: targets[1]!, action: LogAction.requestApproved }, 'GSI3'],
  ['actor and action', { actorId: 'dana', action: LogAction.requestApproved, from: day(0, 0) }, 'GSI5'],
  ['action and range', { action: LogAction.requestRevoked, from: day(2, 0), to: day(2, 5) }, 'GSI6'],
  ['target-less events by actor', { actorId: 'erin' }, 'GSI5'],
  ['a filter nothing matches', { requesterId: 'nobody' }, 'GSI2'],
  ['the log’s own checkpoints (in no other listing)', { action: LogAction.logCheckpoint }, 'GSI6'],
];

describe('listing grant-log events by filter (DynamoDB Local)', () => {
  it.each(cases)('serves %s from its index, in both orders, without gaps or duplicates', async (_name, filter, index) => {
    for (const order of ['newest', 'oldest'] as const) {
      const full = { ...filter, order };
      const before = sent.length;
      const { items } = await allPages((cursor) => listEvents(deps, auditor(tenant), { filter: full, limit: 4, ...(cursor ? { cursor } : {}) }));
      const expected = events.filter((e) => matchesFilter(e, full)).sort(compareEvents);
      if (order === 'newest') expected.reverse();
      expect(items.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
      expect(items).toEqual(expected);
      // Queries on the filter's index; the events come back by their table keys (no index holds whole events).
      const calls = sent.slice(before);
      expect(new Set(calls.filter((c) => c.name === 'QueryCommand').map((c) => c.index))).toEqual(new Set([index]));
      expect(calls.filter((c) => c.name !== 'QueryCommand').map((c) => `${c.name} ${c.index ?? 'table'}`)).toEqual(calls.filter((c) => c.name !== 'QueryCommand').map(() => 'BatchGetCommand table'));
    }
  });

  it('returns the seeded events exactly as the writer chained them, and its checkpoints by their action only', async () => {
    const all = (filter: LogFilter) => allPages((cursor) => listEvents(deps, auditor(tenant), { filter, limit: 100, ...(cursor ? { cursor } : {}) }));
    const { items } = await all({ order: 'oldest' });
    const checkpoints = events.filter((e) => e.action === LogAction.logCheckpoint);
    expect(items).toHaveLength(events.length - checkpoints.length);
    expect([...items].sort(compareEvents)).toEqual(events.filter((e) => e.action !== LogAction.logCheckpoint).sort(compareEvents));
    expect((await all({ action: LogAction.logCheckpoint, order: 'oldest' })).items).toEqual([...checkpoints].sort(compareEvents));
  });

  it('serves a page as one Query for the index entries and one BatchGetItem for the events: whole events, in order, with a next cursor', async () => {
    const filter = { targetId: targets[0]!, order: 'oldest' } as const;
    const before = sent.length;
    const page = await listEvents(deps, auditor(tenant), { filter, limit: 5 });
    expect(sent.slice(before).map((c) => `${c.name} ${c.index ?? 'table'}`)).toEqual(['QueryCommand GSI3', 'BatchGetCommand table']);
    const expected = events.filter((e) => matchesFilter(e, filter)).sort(compareEvents);
    // Every field, the ones the item keeps only in its keys (requester, target, actor, action, time, tenant) included.
    expect(page.items).toEqual(expected.slice(0, 5));
    expect(page.items.every((e) => e.targetId && e.actorId && e.action && e.at && e.tenantId === tenant && e.hash && e.prevHash)).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await listEvents(deps, auditor(tenant), { filter, limit: 5, cursor: page.nextCursor! });
    expect(next.items).toEqual(expected.slice(5, 10));
  });

  it('admits admins and refuses requesters and approvers', async () => {
    const filter = { order: 'newest' } as const;
    await expect(listEvents(deps, user(tenant, 'root', ['admin']), { filter, limit: 1 })).resolves.toMatchObject({ items: [expect.anything()] });
    await expect(listEvents(deps, user(tenant, 'alice', ['requester']), { filter, limit: 1 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listEvents(deps, user(tenant, 'dana', ['approver'], ['dba']), { filter, limit: 1 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
