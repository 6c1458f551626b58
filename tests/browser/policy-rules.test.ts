import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { client } from '../support/api.ts';
import { policy, targetInput } from '../support/builders.ts';
import { freshTenant } from '../support/dynamo.ts';
import { tokenFor } from '../support/tokens.ts';
import { capture, go, launch, logIn, signIn, type Person, type Signed } from './browser.ts';

// The policy rules of docs/policy-rules.md in the console: a ticket reference kept from the
// reason, a break-glass grant opened at once and flagged on every view, reviewed afterwards
// by an approver from the inbox; step-up, where the console signs in again with what the
// API's 401 step_up_required asks for and redoes the approval.

const tenant = freshTenant('console-rules');
let browser: Browser;
let targetId: string;
const opened: Signed[] = [];

async function person(who: Omit<Person, 'tenant'>): Promise<Signed> {
  const signed = await signIn(browser, { ...who, tenant });
  opened.push(signed);
  return signed;
}

beforeAll(async () => {
  browser = await launch();
  const admin = client(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  const rules = { ticketPattern: '(INC|CHG)-\\d+', breakGlass: { groups: ['oncall'], principals: [], maxDurationMinutes: 30, maxPerPersonPerDay: 2 } };
  const created = await admin.POST('/targets', { body: targetInput({ name: 'ledger-pg', databaseUsers: ['app_ro'], policy: policy({ maxDurationMinutes: 120, ...rules }) }) });
  expect(created.response.status).toBe(201);
  targetId = created.data!.targetId;
});

afterAll(async () => {
  for (const signed of opened) expect(signed.problems).toEqual([]);
  await browser?.close();
});

describe('break-glass and tickets in the console', () => {
  let olga: Signed;

  it('opens a break-glass grant at once, with its shorter maximum, a reason always, and the ticket kept', async () => {
    olga = await person({ user: 'olga', roles: ['requester'], groups: ['oncall'] });
    const { page } = olga;
    await expect.poll(() => page.getByRole('heading', { name: 'My access', level: 1 }).count()).toBe(1);
    await page.getByLabel('Database', { exact: true }).selectOption({ label: 'ledger-pg (postgres)' });
    await page.getByLabel(/^Break glass/).check();
    // The break-glass rule's maximum (30) wins over the policy's (120).
    await page.getByLabel('Duration (minutes, at most 30)').fill('20');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Break-glass always needs a reason');

    // No ticket reference: the policy's ticketPattern refuses it, and nothing is created.
    await page.getByLabel('Reason or ticket (required)').fill('ledger is down');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The request was refused');
    expect(await page.getByRole('listitem', { name: 'ledger-pg as app_ro' }).count()).toBe(0);

    await page.getByLabel('Reason or ticket (required)').fill('INC-9001 ledger is down');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Break-glass grant opened: ledger-pg as app_ro');
    const card = page.getByRole('listitem', { name: 'ledger-pg as app_ro' });
    await expect.poll(() => card.textContent()).toContain('approved');
    expect(await card.textContent()).toContain('break-glass, not yet reviewed');
    expect(await card.textContent()).toContain('ticket INC-9001');
    await capture(page, 'my-access-break-glass');
  });

  it("lists it for an approver's review, refuses a review without a note, and records the review", async () => {
    const bob = await person({ user: 'bob', roles: ['approver'], groups: ['dba'] });
    const { page } = bob;
    const reviews = page.getByRole('region', { name: 'Break-glass grants to review' });
    const item = reviews.getByRole('listitem', { name: 'olga broke glass on ledger-pg as app_ro' });
    await expect.poll(() => item.textContent()).toContain('INC-9001 ledger is down');
    expect(await item.textContent()).toContain('ticket INC-9001');
    await capture(page, 'inbox-break-glass');

    await item.getByRole('button', { name: 'Record review' }).click();
    await expect.poll(() => item.getByRole('alert').textContent()).toContain('A review needs a note');
    await item.getByLabel('Outcome').selectOption('escalated');
    await item.getByLabel('Review note (required)').fill('no incident channel opened');
    await item.getByRole('button', { name: 'Record review' }).click();
    await expect.poll(() => reviews.getByRole('status').textContent()).toContain("Reviewed: olga's break-glass grant on ledger-pg as app_ro, escalated.");
    await expect.poll(() => reviews.getByText('No break-glass grant waits for your review').count()).toBe(1);

    const mine = await client(await tokenFor({ sub: 'olga', tenant, roles: ['requester'], groups: ['oncall'] })).GET('/requests', { params: { query: { view: 'mine' } } });
    expect(mine.data?.items[0]?.breakGlass?.review).toMatchObject({ reviewerId: 'bob', outcome: 'escalated', note: 'no incident channel opened' });
  });

  it('shows the requester the review, and the auditor the flagged, ticketed events', async () => {
    const card = olga.page.getByRole('listitem', { name: 'ledger-pg as app_ro' });
    // The page polls: the review appears without a reload.
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('break-glass, escalated by bob');

    const { page } = await person({ user: 'amy', roles: ['auditor'] });
    await go(page, '#/audit');
    const events = page.getByRole('region', { name: 'Events' });
    const row = (action: string) => events.getByRole('row').filter({ hasText: action });
    await expect.poll(() => row('request.break_glass_opened').textContent(), { timeout: 15_000 }).toContain('break-glass');
    await expect.poll(() => row('request.break_glass_reviewed').textContent()).toContain('break-glass');
    expect(await row('request.created').textContent()).toContain('ticket INC-9001');
    await capture(page, 'audit-break-glass');
  });
});

describe('step-up in the console', () => {
  let stepUpTarget: string;
  const alice = async () => client(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  const ask = async () => {
    const created = await (await alice()).POST('/requests', { body: { targetId: stepUpTarget, databaseUser: 'app_ro', durationMinutes: 30, reason: 'CHG-77 migration' } });
    expect(created.response.status).toBe(201);
    return created.data!.requestId;
  };
  const stored = async (requestId: string) => (await (await alice()).GET('/requests/{requestId}', { params: { path: { requestId } } })).data!;

  beforeAll(async () => {
    const admin = client(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
    const created = await admin.POST('/targets', { body: targetInput({ name: 'vault-pg', databaseUsers: ['app_ro'], policy: policy({ stepUp: { approve: { mfa: true } } }) }) });
    expect(created.response.status).toBe(201);
    stepUpTarget = created.data!.targetId;
  });

  it('signs the approver in again with MFA when the API asks for it, then redoes the approval with its note', async () => {
    const requestId = await ask();
    const bob = await person({ user: 'bob', roles: ['approver'], groups: ['dba'] });
    const { page } = bob;
    const item = page.getByRole('listitem', { name: 'alice asks for vault-pg as app_ro' });
    await expect.poll(() => item.count()).toBe(1);
    await item.getByLabel('Note (optional)').fill('checked the change ticket');
    await item.getByRole('button', { name: 'Approve' }).click();

    // The password-only sign-in is refused (401 step_up_required) without signing out: the console
    // goes back to the issuer with the parameters of details.authorize.
    await page.waitForURL((url) => url.origin === inject('issuer') && url.pathname === '/authorize');
    const authorize = new URL(page.url()).searchParams;
    expect(authorize.get('acr_values')).toBe('mfa');
    expect(authorize.get('prompt')).toBe('login');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(await page.getByLabel('Signed in with a second factor').isChecked()).toBe(true);
    expect((await stored(requestId)).status).toBe('pending');

    await logIn(page, { user: 'bob', tenant, roles: ['approver'], groups: ['dba'] });
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 }).toContain('Approved: alice on vault-pg as app_ro (now approved)');
    expect(await stored(requestId)).toMatchObject({ status: 'approved', approvals: [{ approverId: 'bob', note: 'checked the change ticket' }] });
    expect(page.url()).not.toContain('code=');
  });

  it('does not redo the approval when someone else finishes the stronger sign-in', async () => {
    const requestId = await ask();
    const bob = await person({ user: 'bob', roles: ['approver'], groups: ['dba'] });
    const { page } = bob;
    const item = page.getByRole('listitem', { name: 'alice asks for vault-pg as app_ro' });
    await expect.poll(() => item.count()).toBe(1);
    await item.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.origin === inject('issuer') && url.pathname === '/authorize');

    await logIn(page, { user: 'carl', tenant, roles: ['approver'], groups: ['dba'] });
    // carl sees the request, still waiting: bob's approval was not made in carl's name.
    await expect.poll(() => page.getByRole('listitem', { name: 'alice asks for vault-pg as app_ro' }).textContent()).toContain('Quorum: 0 of 1 approval');
    expect(await stored(requestId)).toMatchObject({ status: 'pending', approvals: [] });
  });
});
