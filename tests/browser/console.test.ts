import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { api, type ApiClient } from '../support/api.ts';
import { answer, runPrinted } from '../support/database-clients.ts';
import { installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';
import { capture, launch, signIn, type Signed } from './browser.ts';

// The console end to end, in Debian's Chromium: a requester signs in (authorization code +
// PKCE against the dev issuer) and asks; an approver approves from the inbox; the requester
// reveals the credentials, and the token from the page opens the local PostgreSQL with the
// real psql. Every page is checked by axe-core and saved at 1280 and 375 px.

const tenant = `console-${Date.now().toString(36)}`;
const REGION = inject('region');
let browser: Browser;
let admin: ApiClient;
let targetId: string;
const opened: Signed[] = [];

async function person(user: string, roles: string[], groups?: string[]): Promise<Signed> {
  const signed = await signIn(browser, { user, tenant, roles, ...(groups ? { groups } : {}) });
  opened.push(signed);
  return signed;
}

beforeAll(async () => {
  browser = await launch();
  admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  // The customer's account and the local PostgreSQL registered, the role installed and verified,
  // the database user created by the emitted SQL (as tests/e2e/real-databases.test.ts does).
  const server = inject('postgres');
  const integration = await admin.post('/integrations', { accountId: server.account, name: 'console-pg' });
  expect(integration.status).toBe(201);
  const target = await admin.post('/targets', {
    name: 'orders-pg', engine: 'postgres', endpoint: server.host, port: server.port, region: REGION, accountId: server.account,
    resourceId: server.resourceId, integrationId: integration.body.integrationId, databaseUsers: ['app_ro'],
    policy: { approvers: { groups: ['dba'] }, maxDurationMinutes: 120, reasonRequired: true },
  });
  expect(target.status).toBe(201);
  targetId = target.body.targetId;
  const setup = await admin.get(`/integrations/${integration.body.integrationId}/setup`);
  expect(setup.status).toBe(200);
  await installAndVerify(admin, { integration: integration.body, setup: setup.body }, `ConsoleBrowser${Date.now()}`);
  await createDatabaseUser(server, setup.body.databases.find((d: { targetId: string }) => d.targetId === targetId).statements);
});

afterAll(async () => {
  for (const signed of opened) expect(signed.problems).toEqual([]);
  await browser?.close();
});

describe('requester and approver in the console', () => {
  let alice: Signed;
  let bob: Signed;

  it('signs the requester in and asks for access, with the policy checked before sending', async () => {
    alice = await person('alice', ['requester']);
    const { page } = alice;
    await expect.poll(() => page.getByRole('heading', { name: 'My access', level: 1 }).count()).toBe(1);
    await expect.poll(() => page.getByText('You have no requests yet').count()).toBe(1);
    await capture(page, 'my-access-empty');

    await page.getByLabel('Database', { exact: true }).selectOption({ label: 'orders-pg (postgres)' });
    await page.getByLabel('Duration (minutes, at most 120)').fill('500');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('from 1 to 120');
    await page.getByLabel('Duration (minutes, at most 120)').fill('30');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('requires a reason');

    await page.getByLabel('Reason or ticket (required)').fill('INC-4711');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('waiting for approval');
    const card = page.getByRole('listitem', { name: 'orders-pg as app_ro' });
    await expect.poll(() => card.textContent()).toContain('pending');
    await capture(page, 'my-access');
  });

  it('lets the approver approve from the inbox, with the quorum shown', async () => {
    bob = await person('bob', ['approver'], ['dba']);
    const { page } = bob;
    await expect.poll(() => page.getByRole('heading', { name: 'Approvals', level: 1 }).count()).toBe(1);
    const item = page.getByRole('listitem', { name: 'alice asks for orders-pg as app_ro' });
    await expect.poll(() => item.textContent()).toContain('Quorum: 0 of 1 approval');
    expect(await item.textContent()).toContain('INC-4711');
    await capture(page, 'inbox');
    await item.getByLabel('Note (optional)').fill('ok for the incident');
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Approved: alice on orders-pg as app_ro (now approved)');
    await expect.poll(() => page.getByText('Nothing waits for you').count()).toBe(1);
    await capture(page, 'inbox-empty');
  });

  it('shows the requester the grant live, and the revealed token opens the local PostgreSQL with the printed command', async () => {
    const { page } = alice;
    const card = page.getByRole('listitem', { name: 'orders-pg as app_ro' });
    // The page polls: the approval appears without a reload.
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toMatch(/approved.*min .*left/);
    await card.getByRole('button', { name: 'Get credentials' }).click();
    const panel = page.getByRole('region', { name: 'Credentials' });
    await expect.poll(() => panel.count()).toBe(1);
    // Nothing secret on the page before the reveal.
    expect(await panel.getByLabel('Token').count()).toBe(0);
    await panel.getByRole('button', { name: 'Reveal token' }).click();
    const token = await panel.getByLabel('Token').inputValue();
    const command = await panel.getByLabel('Client command').inputValue();
    expect(token).toMatch(/X-Amz-Signature=/);
    expect(command).not.toContain(token);
    expect(await panel.getByLabel('Connect command').inputValue()).toBe('latchkey connect orders-pg --user app_ro');
    await capture(page, 'credentials');

    const run = await runPrinted('postgres', command, token);
    expect(run.stderr).toBe('');
    expect(answer(run)).toBe('app_ro');

    await panel.getByRole('button', { name: 'Close and forget' }).click();
    expect(await page.getByRole('region', { name: 'Credentials' }).count()).toBe(0);
    expect(await page.content()).not.toContain(token);
  });
});
