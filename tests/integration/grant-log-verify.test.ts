import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { logItemOf, logKeys } from '#shared/adapters/dynamodb/keys';
import { chainEvent, type LogEvent } from '#shared/grant-log/events';
import { CHAIN_COUNT, CHECKPOINT_EVERY, chainOfRequest } from '#shared/grant-log/chains';
import { ForbiddenError } from '#shared/kernel/errors';
import { verifyLog } from '#shared/audit/verify-log';
import { listEvents } from '#shared/audit/query-events';
import { user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { auditor, logEntry, recordCommands, writeEntries } from '../support/grant-log.ts';

// Tampering is done the way someone with raw table access would: PutItem,
// UpdateItem and DeleteItem straight on the log table, bypassing the LogWriter.

const stores = dynamoStores();
const sent = recordCommands(stores.db);
const deps = { log: new DynamoGrantLogReader(stores.db, stores.tables) };
const TableName = stores.tables.log;
// Every entry of these tests is about one request, so all of them extend one chain.
const C = chainOfRequest(logEntry('any').requestId!);
const at = (m: number) => new Date(Date.UTC(2026, 10, 24, 9, m)).toISOString();

async function chainOf(n: number, perTransaction?: number): Promise<{ tenant: string; events: LogEvent[] }> {
  const tenant = freshTenant('verify');
  const events = await writeEntries(
    stores.log,
    Array.from({ length: n }, (_, i) => logEntry(tenant, { at: at(i), details: { reason: `ticket ${i}` } })),
    perTransaction,
  );
  return { tenant, events };
}

const entryOf = ({ seq: _s, prevHash: _p, hash: _h, ...entry }: LogEvent) => entry;
// As the LogWriter stores an event now: keys, and only the fields no key spells.
const itemOf = (event: LogEvent) => logItemOf(event);
// As earlier versions stored one: every field, GSI1SK, GSI4PK, a checkpoint in every index.
const legacyItemOf = (event: LogEvent) => ({ ...logKeys.event(event.tenantId, C, event.seq), ...logKeys.legacyIndexes(event), ...event });
const verify = (tenant: string, input = {}) => verifyLog(deps, auditor(tenant), input);

afterAll(() => {
  expect(sent.filter((c) => /Scan/.test(c.name))).toEqual([]);
});

describe('verifying the grant log’s hash chain (DynamoDB Local)', () => {
  it('verifies an untouched chain to its head', async () => {
    const { tenant, events } = await chainOf(8);
    expect(events.at(-1)).toMatchObject({ seq: 8 });
    expect(await verify(tenant)).toEqual({ ok: true, chains: CHAIN_COUNT, checked: 8, complete: true });
  });

  it('verifies an empty log', async () => {
    expect(await verify(freshTenant('empty'))).toMatchObject({ ok: true, checked: 0, complete: true });
  });

  it('names an event whose attribute was changed as modified', async () => {
    const { tenant } = await chainOf(8);
    await stores.db.send(new UpdateCommand({ TableName, Key: logKeys.event(tenant, C, 5), UpdateExpression: 'SET details.reason = :r', ExpressionAttributeValues: { ':r': 'nothing to see' } }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 5, kind: 'modified' });
  });

  it('stores a field a key spells only in that key, and names an event re-keyed (moved to another filter) as modified', async () => {
    const { tenant, events } = await chainOf(6);
    const { Item } = await stores.db.send(new GetCommand({ TableName, Key: logKeys.event(tenant, C, 3), ConsistentRead: true }));
    for (const field of ['tenantId', 'at', 'action', 'actorId', 'requestId', 'requesterId', 'targetId']) expect(Item).not.toHaveProperty(field);
    expect(Item).toMatchObject({ GSI2PK: `T#${tenant}#RQR#alice`, databaseUser: 'app_ro', hash: events[2]!.hash });
    // The requester is the key: re-keying the event changes what it says, and it no longer hashes.
    await stores.db.send(new UpdateCommand({ TableName, Key: logKeys.event(tenant, C, 3), UpdateExpression: 'SET GSI2PK = :k', ExpressionAttributeValues: { ':k': `T#${tenant}#RQR#someone-else` } }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 3, kind: 'modified', message: expect.stringMatching(/hash/) });
  });

  it('names an event taken out of a filter (its key removed) as modified', async () => {
    const { tenant } = await chainOf(6);
    await stores.db.send(new UpdateCommand({ TableName, Key: logKeys.event(tenant, C, 4), UpdateExpression: 'REMOVE GSI3PK' }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 4, kind: 'modified' });
  });

  describe('a chain written by an earlier version (every field stored; GSI1SK, GSI4PK)', () => {
    async function legacyChain(n: number): Promise<{ tenant: string; events: LogEvent[] }> {
      const tenant = freshTenant('legacy');
      const events: LogEvent[] = [];
      for (let i = 0; i < n; i++) events.push(chainEvent(logEntry(tenant, { at: at(i), details: { reason: `ticket ${i}` } }), i + 1, events.at(-1)?.hash ?? '0'.repeat(64)));
      for (const event of events) await stores.db.send(new PutCommand({ TableName, Item: legacyItemOf(event) }));
      await stores.db.send(new PutCommand({ TableName, Item: { ...logKeys.head(tenant, C), seq: n, hash: events.at(-1)!.hash, at: events.at(-1)!.at } }));
      return { tenant, events };
    }

    it('still verifies, and reads back as the same events', async () => {
      const { tenant, events } = await legacyChain(5);
      expect(await verify(tenant)).toMatchObject({ ok: true, checked: 5 });
      const page = await listEvents({ log: deps.log }, auditor(tenant), { filter: { requesterId: 'alice', order: 'oldest' }, limit: 10 });
      expect(page.items).toEqual(events);
    });

    it('still names an event re-keyed out of a filter as modified, by its keys', async () => {
      const { tenant } = await legacyChain(5);
      await stores.db.send(new UpdateCommand({ TableName, Key: logKeys.event(tenant, C, 3), UpdateExpression: 'SET GSI2PK = :k', ExpressionAttributeValues: { ':k': `T#${tenant}#RQR#someone-else` } }));
      expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 3, kind: 'modified', message: expect.stringMatching(/keys/) });
    });

    it('still names a changed field as modified', async () => {
      const { tenant } = await legacyChain(5);
      await stores.db.send(new UpdateCommand({ TableName, Key: logKeys.event(tenant, C, 2), UpdateExpression: 'SET requesterId = :r', ExpressionAttributeValues: { ':r': 'mallory' } }));
      expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 2, kind: 'modified' });
    });
  });

  it('names a deleted event as deleted', async () => {
    const { tenant } = await chainOf(8);
    await stores.db.send(new DeleteCommand({ TableName, Key: logKeys.event(tenant, C, 4) }));
    expect(await verify(tenant)).toMatchObject({ ok: false, checked: 3, brokenLink: { chain: C, seq: 4, kind: 'deleted' } });
  });

  it('names a deleted last event (the head remembers it) as deleted', async () => {
    const { tenant } = await chainOf(5);
    await stores.db.send(new DeleteCommand({ TableName, Key: logKeys.event(tenant, C, 5) }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 5, kind: 'deleted' });
  });

  it('names a well-chained event appended behind the head’s back as inserted', async () => {
    const { tenant, events } = await chainOf(5);
    const forged = chainEvent(logEntry(tenant, { at: at(30), action: 'request.approved', actorId: 'mallory' }), 6, events[4]!.hash);
    await stores.db.send(new PutCommand({ TableName, Item: itemOf(forged) }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 6, kind: 'inserted' });
  });

  it('names an event inserted mid-chain by renumbering the rest (and moving the head) as inserted', async () => {
    const { tenant, events } = await chainOf(6);
    const forged = chainEvent(logEntry(tenant, { at: at(2), actorId: 'mallory' }), 3, events[1]!.hash);
    // Later events move up one seq and are re-hashed for it, but still link to what they linked to.
    const shifted = events.slice(2).map((e) => chainEvent(entryOf(e), e.seq + 1, e.prevHash));
    for (const event of [forged, ...shifted]) await stores.db.send(new PutCommand({ TableName, Item: itemOf(event) }));
    await stores.db.send(new PutCommand({ TableName, Item: { ...logKeys.head(tenant, C), seq: 7, hash: shifted.at(-1)!.hash, at: at(6) } }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 3, kind: 'inserted' });
  });

  it('names an item slipped in under a malformed event key as inserted', async () => {
    const { tenant, events } = await chainOf(4);
    await stores.db.send(new PutCommand({ TableName, Item: { ...itemOf(events[1]!), SK: `${logKeys.event(tenant, C, 2).SK}x` } }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ seq: 3, kind: 'inserted' });
  });

  it('names an event whose content was changed and re-hashed by the break in the next link', async () => {
    const { tenant, events } = await chainOf(6);
    const rewritten = chainEvent({ ...entryOf(events[2]!), actorId: 'mallory' }, 3, events[1]!.hash);
    await stores.db.send(new PutCommand({ TableName, Item: itemOf(rewritten) }));
    const report = await verify(tenant);
    expect(report).toMatchObject({ ok: false, checked: 3, brokenLink: { chain: C, seq: 4, kind: 'inserted' } });
    expect(report.brokenLink?.message).toMatch(/seq 3 was replaced/);
  });

  it('walks a long chain in bounded calls that continue from each other', async () => {
    const { tenant } = await chainOf(12);
    const first = await verify(tenant, { limit: 5 });
    expect(first).toMatchObject({ ok: true, complete: false, checked: 5, next: { chain: C, seq: 6 } });
    const second = await verify(tenant, { fromChain: C, fromSeq: 6, limit: 5 });
    expect(second).toMatchObject({ ok: true, complete: false, checked: 5, next: { chain: C, seq: 11 } });
    expect(await verify(tenant, { fromChain: C, fromSeq: 11, limit: 5 })).toMatchObject({ ok: true, complete: true, checked: 2 });
  });

  it('refuses to continue from an anchor that was tampered with', async () => {
    const { tenant } = await chainOf(8);
    await stores.db.send(new UpdateCommand({ TableName, Key: logKeys.event(tenant, C, 4), UpdateExpression: 'SET outcome = :o', ExpressionAttributeValues: { ':o': 'failure' } }));
    expect((await verify(tenant, { fromChain: C, fromSeq: 5 })).brokenLink).toMatchObject({ chain: C, seq: 4, kind: 'modified' });
  });

  it('keeps one tenant’s tampering out of another tenant’s verdict', async () => {
    const a = await chainOf(4);
    const b = await chainOf(4);
    await stores.db.send(new DeleteCommand({ TableName, Key: logKeys.event(a.tenant, C, 2) }));
    expect((await verify(a.tenant)).ok).toBe(false);
    expect((await verify(b.tenant)).ok).toBe(true);
  });

  it('names a tail cut off with its chain’s head moved back, by the last checkpoint', async () => {
    // CHECKPOINT_EVERY events make the writer record every chain's head; two more follow it.
    const { tenant, events } = await chainOf(CHECKPOINT_EVERY + 2, 1);
    expect(await verify(tenant)).toMatchObject({ ok: true, checkpoint: { at: expect.any(String) } });
    // Cut the chain back to seq 10 and move its head there: the chain alone is consistent again.
    for (const event of events.slice(10)) await stores.db.send(new DeleteCommand({ TableName, Key: logKeys.event(tenant, C, event.seq) }));
    await stores.db.send(new PutCommand({ TableName, Item: { ...logKeys.head(tenant, C), seq: 10, hash: events[9]!.hash, at: events[9]!.at } }));
    const report = await verify(tenant);
    expect(report.brokenLink).toMatchObject({ chain: C, seq: 11, kind: 'deleted' });
    expect(report.brokenLink?.message).toMatch(/checkpoint saw this chain at seq 16/);
  });

  it('checks every chain: events of other requests are their own chains, each verified', async () => {
    const tenant = freshTenant('chains');
    const requests = Array.from({ length: 6 }, (_, i) => `req_01JCHAINS0000000000${i}`);
    for (const requestId of requests) await writeEntries(stores.log, [logEntry(tenant, { requestId }), logEntry(tenant, { requestId, action: 'request.approved', actorId: 'bob' })]);
    const chains = new Set(requests.map(chainOfRequest));
    expect(chains.size).toBeGreaterThan(1);
    expect(await verify(tenant)).toMatchObject({ ok: true, checked: 12 });
    const victim = chainOfRequest(requests[3]!);
    const seq = requests.filter((r, i) => i <= 3 && chainOfRequest(r) === victim).length * 2;
    await stores.db.send(new DeleteCommand({ TableName, Key: logKeys.event(tenant, victim, seq) }));
    expect((await verify(tenant)).brokenLink).toMatchObject({ chain: victim, seq, kind: 'deleted' });
  });

  it('lets only auditors and admins verify', async () => {
    const { tenant } = await chainOf(1);
    await expect(verifyLog(deps, user(tenant, 'root', ['admin']))).resolves.toMatchObject({ ok: true });
    await expect(verifyLog(deps, user(tenant, 'alice', ['requester']))).rejects.toBeInstanceOf(ForbiddenError);
  });
});
