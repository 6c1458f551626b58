import { describe, expect, it } from 'vitest';
import { chainEvent, genesisHash } from '#shared/grant-log/events';
import { chainOf } from '#shared/grant-log/chains';
import * as transitions from '#shared/requests/transitions';
import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { target, user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

const stores = dynamoStores();
const t0 = new Date('2026-11-24T09:00:00.000Z');
let n = 0;
const nextId = () => `req_01JTEST${String(++n).padStart(10, '0')}${process.pid}`;

function newRequest(tenantId: string, requesterId = 'alice', now = t0) {
  return transitions.createRequest({
    tenantId,
    requestId: nextId(),
    target: target(tenantId, 'tgt_01JTESTTARGET0001'),
    databaseUser: 'app_ro',
    requester: user(tenantId, requesterId, ['requester']),
    durationMinutes: 60,
    reason: 'incident 42',
    now,
  });
}

describe('DynamoRequestStore against DynamoDB Local', () => {
  it('round-trips a request and writes its created event in the same transaction', async () => {
    const tenant = freshTenant();
    const change = newRequest(tenant);
    await stores.requests.create(change);

    expect(await stores.requests.get(tenant, change.next.requestId)).toEqual(change.next);
    const events = await stores.events(tenant);
    expect(events.map((e) => [e.seq, e.action, e.requestId])).toEqual([[1, 'request.created', change.next.requestId]]);
  });

  it('refuses a save on a stale version with a conflict and writes no event', async () => {
    const tenant = freshTenant();
    const created = newRequest(tenant);
    await stores.requests.create(created);
    const approver = user(tenant, 'bob', ['approver'], ['dba']);
    const first = transitions.approve(created.next, approver, target(tenant, 'x').policy, t0);
    await stores.requests.save(first, created.next.version);

    const stale = transitions.deny(created.next, approver, t0);
    await expect(stores.requests.save(stale, created.next.version)).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect((await stores.requests.get(tenant, created.next.requestId))?.status).toBe('approved');
    expect((await stores.events(tenant)).map((e) => e.action)).toEqual(['request.created', 'request.approved']);
  });

  it('says what won a lost save (ALL_OLD): the stored request and its version', async () => {
    const tenant = freshTenant();
    const created = newRequest(tenant);
    await stores.requests.create(created);
    const approver = user(tenant, 'bob', ['approver'], ['dba']);
    const first = transitions.approve(created.next, approver, target(tenant, 'x').policy, t0);
    await stores.requests.save(first, created.next.version);

    const lost = await stores.requests.save(transitions.deny(created.next, approver, t0), created.next.version).catch((e: unknown) => e);

    expect(lost).toBeInstanceOf(ConcurrentModificationError);
    expect((lost as ConcurrentModificationError).current).toEqual(first.next);
    expect((lost as ConcurrentModificationError).details).toEqual({ currentVersion: first.next.version });
  });

  it('names the request that was there first when a create loses (ALL_OLD)', async () => {
    const tenant = freshTenant();
    const created = newRequest(tenant);
    await stores.requests.create(created);

    const lost = await stores.requests.create(created).catch((e: unknown) => e);

    expect(lost).toBeInstanceOf(AlreadyExistsError);
    expect((lost as AlreadyExistsError).existingId).toBe(created.next.requestId);
  });

  it('keeps every chain of a tenant linear under concurrent writers', async () => {
    const tenant = freshTenant();
    const changes = Array.from({ length: 20 }, () => newRequest(tenant));
    // What this names is the chains, not LogWriter's 5 s retry budget: on a loaded 2-core
    // box (seconds per DynamoDB Local call) a few rounds on one chain outlast 5 s. So a
    // writer with time to finish.
    const patient = new DynamoRequestStore(stores.db, stores.tables, new LogWriter(stores.db, stores.tables, 90_000));
    await Promise.all(changes.map((c) => patient.create(c)));

    const events = await stores.events(tenant);
    expect(new Set(events.map((e) => e.requestId)).size).toBe(20);
    const byChain = new Map<number, typeof events>();
    for (const e of events) byChain.set(chainOf(e), [...(byChain.get(chainOf(e)) ?? []), e]);
    expect(byChain.size).toBeGreaterThan(1);
    for (const chain of byChain.values()) {
      chain.sort((a, b) => a.seq - b.seq);
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: chain.length }, (_, i) => i + 1));
      let prev = genesisHash;
      for (const event of chain) {
        const { seq, prevHash, hash, ...entry } = event;
        expect(prevHash).toBe(prev);
        expect(chainEvent(entry, seq, prevHash).hash).toBe(hash);
        prev = hash;
      }
    }
  }, 120_000);

  it('pages a requester’s requests newest first without gaps or duplicates', async () => {
    const tenant = freshTenant();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const change = newRequest(tenant, 'carol', new Date(t0.getTime() + i * 1000));
      ids.push(change.next.requestId);
      await stores.requests.create(change);
    }
    await stores.requests.create(newRequest(tenant, 'someone-else'));

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stores.requests.listByRequester(tenant, { id: 'carol', kind: 'user' }, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.requestId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('keeps a person’s and a service’s requests apart even when their ids are equal', async () => {
    const tenant = freshTenant();
    const id = 'arn:aws:iam::444455556666:role/etl';
    const asPerson = newRequest(tenant, id);
    const asService = transitions.createRequest({
      tenantId: tenant, requestId: nextId(), target: target(tenant, 'tgt_01JTESTTARGET0001'), databaseUser: 'app_ro',
      requester: { ...user(tenant, id, ['requester']), kind: 'service' }, durationMinutes: 60, reason: 'nightly load', now: t0,
    });
    await stores.requests.create(asPerson);
    await stores.requests.create(asService);

    const person = await stores.requests.listByRequester(tenant, { id, kind: 'user' }, { limit: 10 });
    const service = await stores.requests.listByRequester(tenant, { id, kind: 'service' }, { limit: 10 });
    expect(person.items.map((r) => r.requestId)).toEqual([asPerson.next.requestId]);
    expect(service.items.map((r) => r.requestId)).toEqual([asService.next.requestId]);
  });

  it('refuses a cursor replayed against another tenant or another requester', async () => {
    const tenant = freshTenant();
    for (let i = 0; i < 3; i++) await stores.requests.create(newRequest(tenant, 'dave', new Date(t0.getTime() + i)));
    const page = await stores.requests.listByRequester(tenant, { id: 'dave', kind: 'user' }, { limit: 1 });
    expect(page.nextCursor).toBeDefined();

    await expect(stores.requests.listByRequester(freshTenant(), { id: 'dave', kind: 'user' }, { limit: 1, cursor: page.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(stores.requests.listByRequester(tenant, { id: 'erin', kind: 'user' }, { limit: 1, cursor: page.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(stores.requests.listByRequester(tenant, { id: 'dave', kind: 'user' }, { limit: 1, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a cursor whose key values DynamoDB would reject (empty, over 1024 bytes) instead of failing with a 500', async () => {
    const tenant = freshTenant();
    for (let i = 0; i < 2; i++) await stores.requests.create(newRequest(tenant, 'fay', new Date(t0.getTime() + i)));
    const { nextCursor } = await stores.requests.listByRequester(tenant, { id: 'fay', kind: 'user' }, { limit: 1 });
    const key = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString('utf8')) as Record<string, string>;
    const crafted = (change: Record<string, string>) => Buffer.from(JSON.stringify({ ...key, ...change })).toString('base64url');

    // Found by tests/e2e/fuzz-routes.test.ts: the partition was checked, the other three attributes were not.
    const changes: Record<string, string>[] = [{ GSI1SK: '' }, { PK: '' }, { SK: '' }, { GSI1SK: '€'.repeat(400) }];
    for (const change of changes) {
      await expect(stores.requests.listByRequester(tenant, { id: 'fay', kind: 'user' }, { limit: 1, cursor: crafted(change) })).rejects.toBeInstanceOf(ValidationError);
    }
    expect((await stores.requests.listByRequester(tenant, { id: 'fay', kind: 'user' }, { limit: 1, cursor: nextCursor! })).items).toHaveLength(1);
  });

  it('lists by status and drops requests from the due index once they are final', async () => {
    const tenant = freshTenant();
    const pending = newRequest(tenant);
    const cancelled = newRequest(tenant);
    await stores.requests.create(pending);
    await stores.requests.create(cancelled);
    await stores.requests.save(transitions.cancel(cancelled.next, user(tenant, 'alice', ['requester']), t0), 1);

    const listed = await stores.requests.listByStatus(tenant, 'pending', { limit: 10 });
    expect(listed.items.map((r) => r.requestId)).toEqual([pending.next.requestId]);

    const due: string[] = [];
    for await (const d of stores.requests.listDue(new Date(t0.getTime() + 2 * 3_600_000), 1)) if (d.tenantId === tenant) due.push(d.requestId);
    expect(due).toEqual([pending.next.requestId]);
  });
});
