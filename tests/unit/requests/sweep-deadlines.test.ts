import { describe, expect, it, vi } from 'vitest';
import { LogAction } from '#shared/grant-log/events';
import { approveRequest, denyRequest } from '#shared/requests/use-cases';
import { sweepDeadlines } from '#shared/requests/sweep-deadlines';
import * as transitions from '#shared/requests/transitions';
import type { DueRequest } from '#shared/requests/ports';
import { TENANT, type FakeDeps } from '../../support/fakes/index.ts';
import { aPendingRequestBy, people, world } from '../../support/world.ts';

// Policy: a decision within 60 minutes; grants of 30 minutes.
describe('sweepDeadlines', () => {
  it('expires pending requests past decideBy and ends grants past windowEnd, one event each, by the system', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    const undecided = await aPendingRequestBy(deps, people.alice, 30);
    const granted = await aPendingRequestBy(deps, people.frank, 30);
    await approveRequest(deps, people.bob, { requestId: granted.requestId });
    deps.clock.advance({ minutes: 61 });
    const before = deps.log.events.length;

    const result = await sweepDeadlines(deps);

    expect(result).toEqual({ expired: 1, ended: 1, skipped: 0, leftovers: 0 });
    expect((await deps.requests.get(TENANT, undecided.requestId))?.status).toBe('expired');
    expect((await deps.requests.get(TENANT, granted.requestId))?.status).toBe('ended');
    const written = deps.log.events.slice(before);
    expect(written.map((e) => [e.requestId, e.action, e.actorKind])).toEqual(
      expect.arrayContaining([
        [undecided.requestId, LogAction.requestExpired, 'system'],
        [granted.requestId, LogAction.requestEnded, 'system'],
      ]),
    );
    expect(written).toHaveLength(2);
  });

  it('ends what outlives a grant (its SSM sessions) for each grant it ends, and only those', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    const undecided = await aPendingRequestBy(deps, people.alice, 30);
    const granted = await aPendingRequestBy(deps, people.frank, 30);
    await approveRequest(deps, people.bob, { requestId: granted.requestId });
    deps.clock.advance({ minutes: 61 });
    const onGrantEnded = vi.fn(async () => {});

    await sweepDeadlines(deps, { onGrantEnded });

    expect(onGrantEnded.mock.calls).toEqual([[TENANT, granted.requestId]]);
    expect(undecided.requestId).not.toBe(granted.requestId);
  });

  it('reads and writes each due request, and ends its sessions, inside that request’s tenant scope', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    const undecided = await aPendingRequestBy(deps, people.alice, 30);
    const granted = await aPendingRequestBy(deps, people.frank, 30);
    await approveRequest(deps, people.bob, { requestId: granted.requestId });
    deps.clock.advance({ minutes: 61 });
    let scope: string | undefined;
    const inScope: string[] = [];
    const watch = <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) => async (...args: A) => {
      inScope.push(`${name}:${scope ?? 'none'}`);
      return call(...args);
    };
    deps.requests.get = watch('get', deps.requests.get.bind(deps.requests));
    deps.requests.save = watch('save', deps.requests.save.bind(deps.requests));
    const asTenant = async <T>(tenantId: string, work: () => Promise<T>): Promise<T> => {
      scope = tenantId;
      try {
        return await work();
      } finally {
        scope = undefined;
      }
    };

    await sweepDeadlines(deps, { asTenant, onGrantEnded: watch('ended', async () => {}) });

    expect(inScope.sort()).toEqual([`ended:${TENANT}`, `get:${TENANT}`, `get:${TENANT}`, `save:${TENANT}`, `save:${TENANT}`]);
    expect(undecided.requestId).not.toBe(granted.requestId);
  });

  it('leaves requests whose deadline has not come, and finished ones, alone', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    await aPendingRequestBy(deps, people.alice, 30);
    const granted = await aPendingRequestBy(deps, people.frank, 30);
    await approveRequest(deps, people.bob, { requestId: granted.requestId });
    const denied = await aPendingRequestBy(deps, people.frank, 30);
    await denyRequest(deps, people.bob, { requestId: denied.requestId });
    deps.clock.advance({ minutes: 29 });
    const before = deps.log.events.length;

    const result = await sweepDeadlines(deps);

    expect(result).toEqual({ expired: 0, ended: 0, skipped: 0, leftovers: 0 });
    expect(deps.log.events).toHaveLength(before);
  });

  it('is idempotent: a second run writes nothing', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    await aPendingRequestBy(deps);
    deps.clock.advance({ minutes: 61 });
    await sweepDeadlines(deps);
    const before = deps.log.events.length;

    const again = await sweepDeadlines(deps);

    expect(again).toEqual({ expired: 0, ended: 0, skipped: 0, leftovers: 0 });
    expect(deps.log.events).toHaveLength(before);
  });

  it('leaves alone a request denied after the due index listed it (the index lags the table)', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    const { requestId } = await aPendingRequestBy(deps);
    deps.clock.advance({ minutes: 59 });
    await listDueAsOf(deps, at(deps, 1));
    await denyRequest(deps, people.bob, { requestId });
    deps.clock.advance({ minutes: 2 });
    const before = deps.log.events.length;

    const result = await sweepDeadlines(deps);

    expect(result).toEqual({ expired: 0, ended: 0, skipped: 0, leftovers: 0 });
    expect((await deps.requests.get(TENANT, requestId))?.status).toBe('denied');
    expect(deps.log.events).toHaveLength(before);
  });

  it('skips a grant approved after the due index listed it, whose window is still open', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    const { requestId } = await aPendingRequestBy(deps, people.alice, 30);
    deps.clock.advance({ minutes: 59 });
    await listDueAsOf(deps, at(deps, 1));
    await approveRequest(deps, people.bob, { requestId });
    deps.clock.advance({ minutes: 2 });
    const before = deps.log.events.length;

    const result = await sweepDeadlines(deps);

    expect(result).toEqual({ expired: 0, ended: 0, skipped: 1, leftovers: 0 });
    expect((await deps.requests.get(TENANT, requestId))?.status).toBe('approved');
    expect(deps.log.events).toHaveLength(before);
  });

  it('skips, without an event, a request another writer changed between its read and its save', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    const { requestId } = await aPendingRequestBy(deps);
    deps.clock.advance({ minutes: 61 });
    const get = deps.requests.get.bind(deps.requests);
    vi.spyOn(deps.requests, 'get').mockImplementationOnce(async (tenantId, id) => {
      const read = (await get(tenantId, id))!;
      // A second sweeper run wins the write just after this read.
      await deps.requests.save(transitions.expire(read, deps.clock.now()), read.version);
      return read;
    });

    const result = await sweepDeadlines(deps);

    expect(result).toEqual({ expired: 0, ended: 0, skipped: 1, leftovers: 0 });
    expect(deps.log.forRequest(TENANT, requestId).map((e) => e.action)).toEqual([LogAction.requestCreated, LogAction.requestExpired]);
  });

  it('finds nothing older than the look-back', async () => {
    const { deps } = world({ pendingTimeoutMinutes: 60 });
    await aPendingRequestBy(deps);
    deps.clock.advance({ days: 3 });

    expect(await sweepDeadlines(deps, { lookbackDays: 1 })).toEqual({ expired: 0, ended: 0, skipped: 0, leftovers: 0 });
    expect(await sweepDeadlines(deps, { lookbackDays: 3 })).toEqual({ expired: 1, ended: 0, skipped: 0, leftovers: 0 });
  });
});

const at = (deps: FakeDeps, minutesFromNow: number) => new Date(deps.clock.now().getTime() + minutesFromNow * 60_000);

/** Freezes what the (eventually consistent) due index returns to what it held at `until`, as of now. */
async function listDueAsOf(deps: FakeDeps, until: Date): Promise<void> {
  const due: DueRequest[] = [];
  for await (const item of deps.requests.listDue(until, 7)) due.push(item);
  vi.spyOn(deps.requests, 'listDue').mockImplementation(async function* () {
    yield* due;
  });
}
