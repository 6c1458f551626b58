import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidTransitionError, NotFoundError, PolicyViolationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import { BreakGlassLimitError } from '#shared/requests/errors';
import { createRequest, listRequests, revokeRequest, reviewRequest } from '#shared/requests/use-cases';
import type { Policy } from '#shared/targets/target';
import { aService, aTarget, aPolicy, aUser, inStatus } from '../../support/fakes/index.ts';
import { TARGET_ID, TENANT, aPendingRequestBy, expectRefusedWithoutWrites, people, world } from '../../support/world.ts';

// Break-glass (docs/break-glass.md): named people open a grant at once, for the rule's
// short maximum, always with a reason, up to a daily cap; an approver reviews it afterwards.

const rule = { groups: ['oncall'], principals: ['dana'], maxDurationMinutes: 30, maxPerPersonPerDay: 2 };
const oncall = aUser('olga', ['requester'], { groups: ['oncall'] });
const glass = { targetId: TARGET_ID, databaseUser: 'app_ro', durationMinutes: 30, reason: 'orders down, INC-9', breakGlass: true };

function glassWorld(policy: Partial<Policy> = {}) {
  return world({ breakGlass: rule, ...policy } as Partial<Policy>);
}

describe('break-glass: opening', () => {
  it('opens an approved grant at once, with two flagged events and the grant marked for review', async () => {
    const { deps } = glassWorld();

    const request = inStatus(await createRequest(deps, oncall, glass), 'approved');

    expect(request.windowStart).toBe(deps.clock.now().toISOString());
    expect(Date.parse(request.windowEnd) - Date.parse(request.windowStart)).toBe(30 * 60_000);
    expect(request.breakGlass).toEqual({ openedAt: deps.clock.now().toISOString() });
    expect(deps.log.events.map((e) => [e.action, e.actorId, e.breakGlass])).toEqual([
      [LogAction.requestCreated, 'olga', true],
      [LogAction.breakGlassOpened, 'olga', true],
    ]);
    expect(deps.log.events[1]!.details).toMatchObject({ reason: glass.reason, windowEnd: request.windowEnd });
  });

  it('flags every later event of the grant too (a revoke)', async () => {
    const { deps } = glassWorld();
    const request = await createRequest(deps, oncall, glass);

    await revokeRequest(deps, people.bob, { requestId: request.requestId, note: 'done' });

    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.requestRevoked, breakGlass: true });
  });

  it('leaves an ordinary request and its events unflagged', async () => {
    const { deps } = glassWorld();

    const request = await aPendingRequestBy(deps, oncall);

    expect(request.breakGlass).toBeUndefined();
    expect(deps.log.events.every((e) => e.breakGlass === undefined)).toBe(true);
  });

  it.each([
    ['a person the rule does not name', people.alice, ForbiddenError],
    ['a service, even one scoped to the target', aService('etl', [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }], { groups: ['oncall'] }), ForbiddenError],
    ['a named person without the requester role', aUser('otto', ['approver'], { groups: ['oncall', 'dba'] }), ForbiddenError],
  ])('refuses %s and writes nothing', async (_who, principal, error) => {
    const { deps } = glassWorld();

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, principal, glass), error);
  });

  it('refuses a person the rule names but the requesters list does not (break-glass never widens who may ask)', async () => {
    const { deps } = glassWorld({ requesters: { groups: ['dev'], principals: [] } });

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, oncall, glass), ForbiddenError);
  });

  it.each([
    ['a target whose policy has no break-glass rule', {}, glass],
    ['longer than the rule allows (even within the policy maximum)', { breakGlass: rule }, { ...glass, durationMinutes: 31 }],
    ['without a reason, even where the policy does not require one', { breakGlass: rule, reasonRequired: false }, { ...glass, reason: undefined }],
    ['without the ticket the policy requires', { breakGlass: rule, ticketPattern: '^(INC|CHG)-\\d+' }, { ...glass, reason: 'orders down' }],
  ])('refuses %s with PolicyViolationError', async (_what, policy, input) => {
    const { deps } = world(policy as Partial<Policy>);

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, oncall, input), PolicyViolationError);
  });

  it('keeps the ticket of a break-glass reason', async () => {
    const { deps } = glassWorld({ ticketPattern: '(INC|CHG)-\\d+' });

    const request = await createRequest(deps, oncall, glass);

    expect(request.ticket).toBe('INC-9');
  });
});

describe('break-glass: the daily cap per person', () => {
  it('refuses the opening past maxPerPersonPerDay with BreakGlassLimitError and writes nothing', async () => {
    const { deps } = glassWorld();
    await createRequest(deps, oncall, glass);
    await createRequest(deps, oncall, glass);

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, oncall, glass), BreakGlassLimitError);
    expect(deps.requests.breakGlassOpened(TENANT, oncall, '2030-01-15')).toBe(2);
  });

  it('counts per person, and starts again the next UTC day', async () => {
    const { deps } = glassWorld();
    await createRequest(deps, oncall, glass);
    await createRequest(deps, oncall, glass);

    await expect(createRequest(deps, people.dana, glass)).resolves.toMatchObject({ status: 'approved' });
    deps.clock.advance(24 * 60 * 60_000);
    await expect(createRequest(deps, oncall, glass)).resolves.toMatchObject({ status: 'approved' });
  });

  it('counts across the tenant: another target does not reset it', async () => {
    const { deps } = glassWorld();
    deps.targets.seed(aTarget({ targetId: 'tgt_0000000902', policy: aPolicy({ breakGlass: rule } as Partial<Policy>) }));
    await createRequest(deps, oncall, glass);
    await createRequest(deps, oncall, { ...glass, targetId: 'tgt_0000000902' });

    await expect(createRequest(deps, oncall, { ...glass, targetId: 'tgt_0000000902' })).rejects.toBeInstanceOf(BreakGlassLimitError);
  });

  it('holds under concurrent opens: exactly the cap succeeds, the rest are refused', async () => {
    const { deps } = glassWorld();

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => createRequest(deps, oncall, glass)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof BreakGlassLimitError)).toHaveLength(3);
    expect(deps.requests.all()).toHaveLength(2);
  });
});

describe('break-glass: review', () => {
  async function opened() {
    const w = glassWorld();
    const request = await createRequest(w.deps, oncall, glass);
    return { ...w, request };
  }

  it.each(['acknowledged', 'escalated'] as const)('records a named approver’s %s review once, with one event', async (outcome) => {
    const { deps, request } = await opened();
    deps.clock.advance(60_000);

    const reviewed = await reviewRequest(deps, people.bob, { requestId: request.requestId, outcome, note: 'checked the session' });

    expect(reviewed.breakGlass?.review).toEqual({ reviewerId: 'bob', at: deps.clock.now().toISOString(), outcome, note: 'checked the session' });
    expect(reviewed.version).toBe(request.version + 1);
    expect(deps.log.events.at(-1)).toMatchObject({ action: LogAction.breakGlassReviewed, actorId: 'bob', breakGlass: true, details: { outcome, note: 'checked the session' } });
  });

  it('reviews a grant that has already ended or been revoked', async () => {
    const { deps, request } = await opened();
    await revokeRequest(deps, people.bob, { requestId: request.requestId });

    await expect(reviewRequest(deps, people.carol, { requestId: request.requestId, outcome: 'acknowledged', note: 'ok' })).resolves.toMatchObject({ status: 'revoked' });
  });

  it('refuses the person who opened it, even when they are a named approver', async () => {
    const { deps } = glassWorld();
    const request = await createRequest(deps, people.dana, glass);

    await expectRefusedWithoutWrites(deps, () => reviewRequest(deps, people.dana, { requestId: request.requestId, outcome: 'acknowledged', note: 'fine by me' }), ForbiddenError);
  });

  it.each([
    ['an approver the policy does not name (who cannot see it either)', people.sam, NotFoundError],
    ['an admin who is no named approver', people.erin, ForbiddenError],
    ['an auditor', people.amy, ForbiddenError],
    ['a requester who cannot see it', people.alice, NotFoundError],
  ])('refuses %s', async (_who, principal, error) => {
    const { deps, request } = await opened();

    await expectRefusedWithoutWrites(deps, () => reviewRequest(deps, principal, { requestId: request.requestId, outcome: 'acknowledged', note: 'ok' }), error);
  });

  it('refuses a second review and a review of an ordinary request with InvalidTransitionError', async () => {
    const { deps, request } = await opened();
    await reviewRequest(deps, people.bob, { requestId: request.requestId, outcome: 'acknowledged', note: 'ok' });
    const ordinary = await aPendingRequestBy(deps, people.alice);

    await expectRefusedWithoutWrites(deps, () => reviewRequest(deps, people.carol, { requestId: request.requestId, outcome: 'escalated', note: 'again' }), InvalidTransitionError);
    await expectRefusedWithoutWrites(deps, () => reviewRequest(deps, people.carol, { requestId: ordinary.requestId, outcome: 'acknowledged', note: 'ok' }), InvalidTransitionError);
  });
});

describe('break-glass: the unreviewed list', () => {
  it('shows auditors and admins every unreviewed grant until it is reviewed', async () => {
    const { deps } = glassWorld();
    const first = await createRequest(deps, oncall, glass);
    deps.clock.advance(1000);
    const second = await createRequest(deps, people.dana, glass);
    await aPendingRequestBy(deps, people.alice);

    for (const who of [people.amy, people.erin]) {
      expect((await listRequests(deps, who, { view: 'unreviewed', limit: 10 })).items.map((r) => r.requestId)).toEqual([second.requestId, first.requestId]);
    }
    await reviewRequest(deps, people.bob, { requestId: second.requestId, outcome: 'acknowledged', note: 'ok' });
    expect((await listRequests(deps, people.amy, { view: 'unreviewed', limit: 10 })).items.map((r) => r.requestId)).toEqual([first.requestId]);
  });

  it('shows an approver only the grants they may review', async () => {
    const { deps } = glassWorld();
    const byOlga = await createRequest(deps, oncall, glass);
    await createRequest(deps, people.dana, glass);

    expect((await listRequests(deps, people.dana, { view: 'unreviewed', limit: 10 })).items.map((r) => r.requestId)).toEqual([byOlga.requestId]);
    expect((await listRequests(deps, people.sam, { view: 'unreviewed', limit: 10 })).items).toEqual([]);
  });

  it('refuses a requester with ForbiddenError', async () => {
    const { deps } = glassWorld();

    await expect(listRequests(deps, people.alice, { view: 'unreviewed', limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
