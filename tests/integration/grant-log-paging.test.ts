import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { LogAction } from '#shared/grant-log/events';
import { compareEvents, matchesFilter, type LogFilter } from '#shared/audit/filter';
import { listEvents } from '#shared/audit/query-events';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { auditor, logEntry, recordCommands, writeEntries } from '../support/grant-log.ts';

const stores = dynamoStores();
const sent = recordCommands(stores.db);
const deps = { log: new DynamoGrantLogReader(stores.db, stores.tables) };
const t0 = Date.UTC(2026, 10, 24, 9, 0);
const minute = (n: number) => new Date(t0 + n * 60_000).toISOString();

const eventArb = fc.record({
  requesterId: fc.constantFrom('alice', 'bob', 'carol'),
  targetId: fc.constantFrom('tgt_01JTESTTARGETAAAA', 'tgt_01JTESTTARGETBBBB'),
  databaseUser: fc.constantFrom('app_ro', 'app_rw'),
  actorId: fc.constantFrom('alice', 'dana', 'latchkey'),
  action: fc.constantFrom(LogAction.requestCreated, LogAction.requestApproved, LogAction.credentialsIssued),
  // Few distinct minutes: many equal times, and writing order unrelated to time order.
  minute: fc.integer({ min: 0, max: 12 }),
});

const filterValues = fc.record({
  requesterId: fc.constantFrom('alice', 'bob'),
  targetId: fc.constantFrom('tgt_01JTESTTARGETAAAA', 'tgt_01JTESTTARGETBBBB'),
  databaseUser: fc.constantFrom('app_ro', 'app_rw'),
  actorId: fc.constantFrom('dana', 'latchkey'),
  action: fc.constantFrom(LogAction.requestApproved, LogAction.credentialsIssued),
  from: fc.integer({ min: 0, max: 6 }).map(minute),
  to: fc.integer({ min: 7, max: 13 }).map(minute),
});
// At most three filters at once, so most runs still match a good share of the events.
const filterArb = fc
  .tuple(filterValues, fc.subarray(['requesterId', 'targetId', 'databaseUser', 'actorId', 'action', 'from', 'to'] as const, { maxLength: 3 }))
  .map(([values, keys]) => Object.fromEntries(keys.map((k) => [k, values[k]])) as Omit<LogFilter, 'order'>);

afterAll(() => {
  expect(sent.filter((c) => /Scan/.test(c.name))).toEqual([]);
});

describe('paging the grant log (DynamoDB Local)', () => {
  it('returns every matching event exactly once, in order, for any events, filter and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 40 }),
        filterArb,
        fc.constantFrom('newest' as const, 'oldest' as const),
        fc.integer({ min: 1, max: 6 }),
        async (specs, partial, order, limit) => {
          const tenant = freshTenant('paging');
          const events = specs.length
            ? await writeEntries(stores.log, specs.map(({ minute: m, ...rest }) => logEntry(tenant, { ...rest, at: minute(m), actorKind: rest.actorId === 'latchkey' ? 'system' : 'user' })))
            : [];
          const filter: LogFilter = { ...partial, order };
          const expected = events.filter((e) => matchesFilter(e, filter)).sort(compareEvents);
          if (order === 'newest') expected.reverse();

          const pages: number[][] = [];
          let cursor: string | undefined;
          do {
            const page = await listEvents(deps, auditor(tenant), { filter, limit, ...(cursor ? { cursor } : {}) });
            pages.push(page.items.map((e) => e.seq));
            cursor = page.nextCursor;
          } while (cursor);

          expect(pages.flat()).toEqual(expected.map((e) => e.seq));
          // Only the last page may be short: a selective filter reads on rather than return a thin page.
          for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
