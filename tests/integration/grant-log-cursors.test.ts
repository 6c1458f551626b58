import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { LogAction } from '#shared/grant-log/events';
import { filterBinding, normalizeFilter, type LogFilter } from '#shared/audit/filter';
import { ValidationError } from '#shared/kernel/errors';
import { toHttpError } from '#shared/http/error-mapper';
import { listEvents, requestTimeline } from '#shared/audit/query-events';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { auditor, logEntry, writeEntries } from '../support/grant-log.ts';

const stores = dynamoStores();
const deps = { log: new DynamoGrantLogReader(stores.db, stores.tables) };
const at = (m: number) => new Date(Date.UTC(2026, 10, 24, 9, m)).toISOString();
const filter: LogFilter = { requesterId: 'alice', from: at(0), to: at(30), order: 'newest' };

let tenant: string;
let other: string;
let cursor: string;

const decode = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { v: number; b: string; k: Record<string, string> };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The refusal an API caller sees: a ValidationError, which the edge maps to 400. */
async function expect400(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(toHttpError(error).statusCode).toBe(400);
}

beforeAll(async () => {
  tenant = freshTenant('cursor');
  other = freshTenant('cursor-other');
  for (const t of [tenant, other]) {
    await writeEntries(stores.log, Array.from({ length: 6 }, (_, i) => logEntry(t, { at: at(i), requesterId: 'alice', requestId: 'req_01JTESTREQUEST0001' })));
  }
  const page = await listEvents(deps, auditor(tenant), { filter, limit: 2 });
  cursor = page.nextCursor!;
  expect(cursor).toBeDefined();
});

describe('grant-log cursors', () => {
  it('pages on with an untouched cursor', async () => {
    const next = await listEvents(deps, auditor(tenant), { filter, limit: 2, cursor });
    expect(next.items.map((e) => e.seq)).toEqual([4, 3]);
  });

  it.each<[string, () => string]>([
    ['not base64url', () => '!!!'],
    ['not JSON', () => Buffer.from('{nope').toString('base64url')],
    ['the wrong shape', () => encode({ v: 1 })],
    ['another version', () => encode({ ...decode(cursor), v: 2 })],
    ['an altered binding', () => encode({ ...decode(cursor), b: 'x'.repeat(22) })],
    ['an extra key attribute', () => encode({ ...decode(cursor), k: { ...decode(cursor).k, GSI3PK: 'x' } })],
    ['a missing key attribute', () => encode({ ...decode(cursor), k: { ...decode(cursor).k, ATSEQ: undefined } })],
    ['a start outside the time range', () => encode({ ...decode(cursor), k: { ...decode(cursor).k, ATSEQ: `${at(45)}#000000000004` } })],
    ['a sort key that disagrees with the item key', () => encode({ ...decode(cursor), k: { ...decode(cursor).k, SK: 'EV#000000000001' } })],
    ['another tenant’s partition under this binding', () => encode({ ...decode(cursor), k: { ...decode(cursor).k, PK: `T#${other}`, GSI2PK: `T#${other}#RQR#alice` } })],
  ])('refuses a cursor with %s as a 400', async (_name, forge) => {
    await expect400(listEvents(deps, auditor(tenant), { filter, limit: 2, cursor: forge() }));
  });

  it('refuses a forged start key even when the binding is recomputed, because the key must lie inside the query', async () => {
    const forged = { ...decode(cursor), b: filterBinding(tenant, 'events', normalizeFilter(filter)), k: { ...decode(cursor).k, ATSEQ: `${at(59)}#000000000005` } };
    await expect400(listEvents(deps, auditor(tenant), { filter, limit: 2, cursor: encode(forged) }));
  });

  it('refuses the cursor in another tenant', async () => {
    await expect400(listEvents(deps, auditor(other), { filter, limit: 2, cursor }));
  });

  it.each<[string, LogFilter]>([
    ['another requester', { ...filter, requesterId: 'bob' }],
    ['another time range (same index partition)', { ...filter, to: at(29) }],
    ['another order', { ...filter, order: 'oldest' }],
    ['an added filter', { ...filter, action: LogAction.requestCreated }],
    ['no filter at all', { order: 'newest' }],
  ])('refuses the cursor under %s', async (_name, changed) => {
    await expect400(listEvents(deps, auditor(tenant), { filter: changed, limit: 2, cursor }));
  });

  it('accepts the same filter spelled differently (normalized instants)', async () => {
    const respelled = { ...filter, from: '2026-11-24T10:00:00+01:00' };
    await expect(listEvents(deps, auditor(tenant), { filter: respelled, limit: 2, cursor })).resolves.toMatchObject({ items: [{ seq: 4 }, { seq: 3 }] });
  });

  it('binds timeline cursors to the request', async () => {
    const page = await requestTimeline(deps, auditor(tenant), { requestId: 'req_01JTESTREQUEST0001', limit: 2 });
    expect(page.items.map((e) => e.seq)).toEqual([1, 2]);
    await expect400(requestTimeline(deps, auditor(tenant), { requestId: 'req_01JTESTREQUEST0002', limit: 2, cursor: page.nextCursor! }));
    await expect400(requestTimeline(deps, auditor(other), { requestId: 'req_01JTESTREQUEST0001', limit: 2, cursor: page.nextCursor! }));
    await expect400(listEvents(deps, auditor(tenant), { filter, limit: 2, cursor: page.nextCursor! }));
  });
});
