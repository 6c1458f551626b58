import { describe, expect, it } from 'vitest';
import { errorCodeOf, type LatchkeyClient } from '#client/index';
import { client } from '../support/api.ts';
import { policy, targetInput } from '../support/builders.ts';
import { freshTenant } from '../support/dynamo.ts';
import { tokenFor } from '../support/tokens.ts';
import type { Policy } from '#shared/targets/target';

// The three optional policy rules (docs/policy-rules.md) over HTTP against the local stack:
// ticket references, break-glass with review, step-up. Every answer is checked against the
// OpenAPI document (tests/support/api.ts).

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function tenantWith(rules: Partial<Policy>) {
  const tenant = freshTenant('e2e-rules');
  const as = async (sub: string, roles: string[], groups: string[] = [], claims: Record<string, unknown> = {}) => client(await tokenFor({ sub, tenant, roles, groups, claims }));
  const admin = await as('ada', ['admin', 'auditor']);
  const created = await admin.POST('/targets', { body: targetInput({ policy: policy(rules) }) });
  expect(created.response.status).toBe(201);
  return { tenant, as, admin, targetId: created.data!.targetId };
}

function ok<T>(answer: { data?: T; response: Response }, status = 200): T {
  expect(answer.response.status).toBe(status);
  return answer.data!;
}

const events = async (auditor: LatchkeyClient, query: { action?: string; requester?: string } = {}) =>
  ok(await auditor.GET('/audit/events', { params: { query: { limit: 100, ...query } as never } })).items;

describe('ticket references over HTTP', () => {
  it('refuses a ticket-less reason where the policy requires one, writing nothing; keeps the ticket where there is one', async () => {
    const { as, admin, targetId } = await tenantWith({ ticketPattern: '^(INC|CHG)-\\d+' });
    const alice = await as('alice', ['requester']);

    const refused = await alice.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'just having a look' } });
    expect(refused.response.status).toBe(422);
    expect(errorCodeOf(refused.error)).toBe('policy_violation');
    expect(ok(await alice.GET('/requests', { params: { query: { view: 'mine' } } })).items).toEqual([]);
    expect(await events(admin, { requester: 'alice' })).toEqual([]);

    const created = ok(await alice.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-4711 checkout slow' } }), 201);
    expect(created.ticket).toBe('INC-4711');
    const [logged] = await events(admin, { requester: 'alice' });
    expect(logged).toMatchObject({ action: 'request.created', ticket: 'INC-4711' });

    const csv = await admin.GET('/audit/events/export', { params: { query: { format: 'csv' } }, parseAs: 'text' });
    const [header, row] = String(csv.data).trim().split('\r\n');
    expect(row!.split(',')[header!.split(',').indexOf('ticket')]).toBe('INC-4711');
    // The ticket is hashed with the rest of the event: the chain still verifies.
    expect(ok(await admin.GET('/audit/verify', { params: { query: {} } }))).toMatchObject({ ok: true, complete: true });
  });
});

describe('break-glass over HTTP', () => {
  const rule = { groups: ['oncall'], principals: [], maxDurationMinutes: 30, maxPerPersonPerDay: 1 };

  it('opens a grant at once, flagged, listed as unreviewed until a named approver other than the opener reviews it', async () => {
    const { as, admin, targetId } = await tenantWith({ breakGlass: rule } as Partial<Policy>);
    const olga = await as('olga', ['requester', 'approver'], ['oncall', 'dba']);
    const bob = await as('bob', ['approver'], ['dba']);
    const amy = await as('amy', ['auditor']);

    const opened = ok(await olga.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 20, reason: 'orders down', breakGlass: true } }), 201);
    expect(opened).toMatchObject({ status: 'approved', breakGlass: { openedAt: opened.createdAt } });
    const [event] = await events(admin, { action: 'request.break_glass_opened' });
    expect(event).toMatchObject({ requestId: opened.requestId, actorId: 'olga', breakGlass: true, details: { reason: 'orders down' } });

    const unreviewed = ok(await amy.GET('/requests', { params: { query: { view: 'unreviewed' } } }));
    expect(unreviewed.items.map((r) => r.requestId)).toEqual([opened.requestId]);
    expect(ok(await bob.GET('/requests/{requestId}', { params: { path: { requestId: opened.requestId } } })).breakGlass?.review).toBeUndefined();

    const own = await olga.POST('/requests/{requestId}/review', { params: { path: { requestId: opened.requestId } }, body: { outcome: 'acknowledged', note: 'fine' } });
    expect(own.response.status).toBe(403);

    const reviewed = ok(await bob.POST('/requests/{requestId}/review', { params: { path: { requestId: opened.requestId } }, body: { outcome: 'escalated', note: 'no ticket filed' } }));
    expect(reviewed.breakGlass?.review).toMatchObject({ reviewerId: 'bob', outcome: 'escalated', note: 'no ticket filed' });
    expect(ok(await amy.GET('/requests', { params: { query: { view: 'unreviewed' } } })).items).toEqual([]);
    const again = await bob.POST('/requests/{requestId}/review', { params: { path: { requestId: opened.requestId } }, body: { outcome: 'acknowledged', note: 'again' } });
    expect(again.response.status).toBe(409);
    expect((await events(admin, { action: 'request.break_glass_reviewed' })).map((e) => e.actorId)).toEqual(['bob']);
    // Who had access counts the break-glass grant like any other.
    const summary = ok(await admin.GET('/audit/access-summary', { params: { query: {} } }));
    expect(summary.activeGrants.map((g) => g.requestId)).toContain(opened.requestId);
    expect(summary.history.flatMap((h) => h.requesters.map((r) => [r.requesterId, r.grants]))).toContainEqual(['olga', 1]);
    expect(ok(await admin.GET('/audit/verify', { params: { query: {} } }))).toMatchObject({ ok: true, complete: true });
  });

  it('refuses a person the rule does not name (403) and one past the daily cap (429), writing nothing', async () => {
    const { as, admin, targetId } = await tenantWith({ breakGlass: rule } as Partial<Policy>);
    const olga = await as('olga', ['requester'], ['oncall']);
    const alice = await as('alice', ['requester']);
    const body = { targetId, databaseUser: 'app_ro', durationMinutes: 20, reason: 'orders down', breakGlass: true };

    expect((await alice.POST('/requests', { body })).response.status).toBe(403);
    ok(await olga.POST('/requests', { body }), 201);
    const capped = await olga.POST('/requests', { body });
    expect(capped.response.status).toBe(429);
    expect(errorCodeOf(capped.error)).toBe('break_glass_limit');
    expect(await events(admin, { action: 'request.break_glass_opened' })).toHaveLength(1);
  });
});

describe('step-up over HTTP', () => {
  it('refuses an approval on an old auth_time with 401 step_up_required, then accepts a fresh one', async () => {
    const { as, targetId } = await tenantWith({ stepUp: { approve: { maxAgeMinutes: 5, mfa: false } } } as Partial<Policy>);
    const alice = await as('alice', ['requester']);
    const staleBob = await as('bob', ['approver'], ['dba'], { auth_time: nowSeconds() - 10 * 60, amr: ['pwd'] });
    const freshBob = await as('bob', ['approver'], ['dba'], { auth_time: nowSeconds(), amr: ['pwd'] });
    const created = ok(await alice.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-1' } }), 201);
    const path = { params: { path: { requestId: created.requestId } }, body: {} };

    const refused = await staleBob.POST('/requests/{requestId}/approve', path);
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ error: 'step_up_required', details: { action: 'approve', missing: ['recent_sign_in'], maxAgeMinutes: 5, authorize: { prompt: 'login', max_age: 0 } } });
    expect(ok(await alice.GET('/requests/{requestId}', { params: { path: { requestId: created.requestId } } })).status).toBe('pending');

    expect(ok(await freshBob.POST('/requests/{requestId}/approve', path)).status).toBe('approved');
  });

  it('asks MFA where the policy does: amr without a second factor is refused, with mfa accepted', async () => {
    const { as, targetId } = await tenantWith({ stepUp: { approve: { mfa: true } } } as Partial<Policy>);
    const alice = await as('alice', ['requester']);
    const created = ok(await alice.POST('/requests', { body: { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-2' } }), 201);
    const path = { params: { path: { requestId: created.requestId } }, body: {} };

    const pwd = await (await as('bob', ['approver'], ['dba'], { auth_time: nowSeconds(), amr: ['pwd'] })).POST('/requests/{requestId}/approve', path);
    expect(pwd.error).toMatchObject({ error: 'step_up_required', details: { missing: ['mfa'], authorize: { acr_values: 'mfa' } } });
    const mfa = await (await as('bob', ['approver'], ['dba'], { auth_time: nowSeconds(), amr: ['pwd', 'mfa'] })).POST('/requests/{requestId}/approve', path);
    expect(ok(mfa).status).toBe('approved');
  });
});
