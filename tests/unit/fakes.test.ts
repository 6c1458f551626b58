import { describe, expect, it } from 'vitest';
import { idSchema } from '#shared/kernel/schemas';
import * as transitions from '#shared/requests/transitions';
import { FakeClock, SequentialIds, TENANT, aTarget, fakeDeps } from '../support/fakes/index.ts';
import { people } from '../support/world.ts';

// The fakes stand in for DynamoDB in every use-case test, so they must keep the ports' promises.
describe('the fakes', () => {
  it('hands out ids the path schemas accept, in order', () => {
    const ids = new SequentialIds();

    const issued = [ids.next('req'), ids.next('tgt'), ids.next('int')];

    expect(issued).toEqual(['req_0000000001', 'tgt_0000000002', 'int_0000000003']);
    for (const id of issued) expect(idSchema.safeParse(id).success).toBe(true);
  });

  it('moves the clock only when told', () => {
    const clock = new FakeClock('2030-01-15T09:00:00.000Z');

    clock.advance({ hours: 1, minutes: 30 });
    const later = clock.now();
    clock.set('2031-02-01T00:00:00.000Z');

    expect(later.toISOString()).toBe('2030-01-15T10:30:00.000Z');
    expect(clock.now().toISOString()).toBe('2031-02-01T00:00:00.000Z');
  });

  it('returns copies, so a caller cannot change a stored request without a write', async () => {
    const deps = fakeDeps();
    const change = transitions.createRequest({ tenantId: TENANT, requestId: 'req_0000000001', target: aTarget(), databaseUser: 'app_ro', requester: people.alice, durationMinutes: 60, reason: 'x', now: deps.clock.now() });
    await deps.requests.create(change);

    const read = (await deps.requests.get(TENANT, 'req_0000000001'))!;
    (read as { durationMinutes: number }).durationMinutes = 9999;

    expect((await deps.requests.get(TENANT, 'req_0000000001'))?.durationMinutes).toBe(60);
  });

  it('writes state and log together or not at all: a change without an event is refused', async () => {
    const deps = fakeDeps();
    const change = transitions.createRequest({ tenantId: TENANT, requestId: 'req_0000000001', target: aTarget(), databaseUser: 'app_ro', requester: people.alice, durationMinutes: 60, reason: 'x', now: deps.clock.now() });

    await expect(deps.requests.create({ ...change, entries: [] })).rejects.toThrow();
    await expect(deps.requests.create({ ...change, entries: change.entries.map((e) => ({ ...e, tenantId: 'globex' })) })).rejects.toThrow();

    expect(deps.requests.all()).toEqual([]);
    expect(deps.log.events).toEqual([]);
  });

  it('chains each tenant’s events like the real log', async () => {
    const deps = fakeDeps();
    const change = transitions.createRequest({ tenantId: TENANT, requestId: 'req_0000000001', target: aTarget(), databaseUser: 'app_ro', requester: people.alice, durationMinutes: 60, reason: 'x', now: deps.clock.now(), autoApproval: 'policy.autoApprove[0]' });

    await deps.requests.create(change);

    const [first, second] = deps.log.forTenant(TENANT);
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) });
    expect(second).toMatchObject({ seq: 2, prevHash: first?.hash });
  });
});
