import { readFileSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { logKeys } from '#shared/adapters/dynamodb/keys';
import { chainOfRequest } from '#shared/grant-log/chains';
import { createDatabaseUser } from '../../dev/databases/index.ts';
import { api, type ApiClient } from '../support/api.ts';
import { dynamoStores } from '../support/dynamo.ts';
import { answer, runPrinted } from '../support/database-clients.ts';
import { control, installAndVerify } from '../support/standin.ts';
import { tokenFor } from '../support/tokens.ts';
import { capture, go, launch, signIn, type Signed } from './browser.ts';

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

let requestId: string;

async function person(user: string, roles: string[], groups?: string[], inTenant = tenant): Promise<Signed> {
  const signed = await signIn(browser, { user, tenant: inTenant, roles, ...(groups ? { groups } : {}) });
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
    const mine = await api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] })).get('/requests?view=mine');
    expect(mine.body.items).toHaveLength(1);
    requestId = mine.body.items[0].requestId;
    expect(mine.body.items[0]).toMatchObject({ targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'INC-4711', status: 'pending' });
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

  it('asks the approvers to extend the grant, and cancels a request still pending', async () => {
    const { page } = alice;
    const card = page.getByRole('listitem', { name: 'orders-pg as app_ro' }).first();
    await card.getByLabel('Extend by (min)').fill('20');
    await card.getByRole('button', { name: 'Ask to extend' }).click();
    await expect.poll(() => card.getByRole('alert').textContent()).toContain('requires a reason for an extension too');
    await card.getByLabel('Why (required)').fill('INC-4711 still open');
    await card.getByRole('button', { name: 'Ask to extend' }).click();
    await expect.poll(() => card.textContent()).toContain('extension of 20 min waiting for approval');
    const alicesApi = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
    expect((await alicesApi.get(`/requests/${requestId}`)).body.pendingExtension).toMatchObject({ minutes: 20 });

    await page.getByLabel('Reason or ticket (required)').fill('INC-4712');
    await page.getByRole('button', { name: 'Ask for access' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'orders-pg as app_ro' }).count()).toBe(2);
    const pending = page.getByRole('listitem', { name: 'orders-pg as app_ro' }).filter({ hasText: 'INC-4712' });
    await pending.getByRole('button', { name: 'Cancel request' }).click();
    await expect.poll(() => pending.textContent()).toContain('cancelled');
    const cancelled = (await alicesApi.get('/requests?view=mine')).body.items.find((r: { reason: string }) => r.reason === 'INC-4712');
    expect(cancelled.status).toBe('cancelled');
  });

  it('lets the approver deny with a note, which the requester then reads on the request', async () => {
    await alice.page.getByLabel('Reason or ticket (required)').fill('INC-4713');
    await alice.page.getByRole('button', { name: 'Ask for access' }).click();
    const item = bob.page.getByRole('listitem', { name: 'alice asks for orders-pg as app_ro' });
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain('INC-4713');
    await item.getByLabel('Note (optional)').fill('use the read replica');
    await item.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => bob.page.getByRole('status').textContent()).toContain('Denied: alice on orders-pg as app_ro (now denied)');
    const denied = alice.page.getByRole('listitem', { name: 'orders-pg as app_ro' }).filter({ hasText: 'INC-4713' });
    await expect.poll(() => denied.textContent(), { timeout: 15_000 }).toContain('denied by bob: use the read replica');
  });

  it('works from the keyboard: a skip link first, then the navigation, every control reachable by Tab', async () => {
    const { page } = bob;
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.evaluate('document.activeElement.blur()');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("aria-current")')).toBe('page');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Approvals');
  });
});

/** The rows of the events table, as text. */
const rows = (page: Page) => page.locator('table').first().locator('tbody tr').allTextContents();

describe('the auditor in the console', () => {
  let amy: Signed;

  it('filters the grant log, pages through it and opens a request timeline', async () => {
    amy = await person('amy', ['auditor']);
    const { page } = amy;
    await expect.poll(() => page.getByRole('heading', { name: 'Audit', level: 1 }).count()).toBe(1);
    await expect.poll(async () => (await rows(page)).length).toBeGreaterThan(3);
    await page.getByLabel('Requester').fill('alice');
    await page.getByLabel('Action').selectOption('credentials.issued');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => (await rows(page)).length).toBe(1);
    expect((await rows(page))[0]).toContain('credentials.issued');
    await page.getByLabel('Action').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // alice's events: created, approval (recorded + approved), issued.
    await expect.poll(async () => (await rows(page)).join('\n')).toContain('request.created');
    const mine = await rows(page);
    expect(mine.every((r) => r.includes('orders-pg'))).toBe(true);
    await page.getByRole('button', { name: `Timeline of ${requestId}` }).first().click();
    const timeline = page.getByRole('region', { name: `Timeline of ${requestId}` });
    await expect.poll(() => timeline.textContent()).toContain('credentials.issued');
    expect(await timeline.textContent()).toMatch(/request\.created by alice.*request\.approved by bob.*credentials\.issued by alice/s);
    // The chart of the last 7 days: alice's one grant and one issuance on orders-pg.
    await expect.poll(() => page.getByRole('img', { name: 'orders-pg: 1 grant and 1 issuance over 8 days' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Open grants' }).textContent()).toContain('alice');
    await capture(page, 'audit');
    await page.getByRole('button', { name: 'Close timeline' }).click();
  });

  it('exports every page as CSV, with progress, into one file', { timeout: 120_000 }, async () => {
    const { page } = amy;
    // Pages of 3 lines instead of 1,000, so that this small log takes several pages.
    await page.route('**/api/audit/events/export?*', (route) => route.continue({ url: route.request().url().replace('limit=1000', 'limit=3') }));
    const expected = (await api(await tokenFor({ sub: 'amy', tenant, roles: ['auditor'] })).get('/audit/events?requester=alice&limit=100')).body.items.length;
    expect(expected).toBeGreaterThan(3);
    // A busy machine answers each page in seconds; the file comes after the last one.
    const download = page.waitForEvent('download', { timeout: 80_000 });
    const section = page.getByRole('region', { name: 'Export' });
    await section.getByRole('button', { name: 'Export all pages' }).click();
    // A refusal shows in the section instead of a file: fail with what it says.
    const refused = section.getByRole('alert').waitFor({ timeout: 80_000 }).then(async () => { throw new Error(`export failed: ${await section.textContent()}`); });
    refused.catch(() => undefined);
    const file = await Promise.race([download, refused]);
    expect(file.suggestedFilename()).toBe('grant-log.csv');
    const lines = readFileSync(await file.path(), 'utf8').split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^seq,at,action,/);
    expect(lines).toHaveLength(expected + 1);
    expect(lines.filter((l) => l.startsWith('seq,at,'))).toHaveLength(1);
    // Full pages of 3, then the rest, or an empty page when the last full one ended at the boundary.
    await expect.poll(() => page.getByText(`Exported ${expected} events in ${Math.floor(expected / 3) + 1} pages.`).count()).toBe(1);
    await page.unroute('**/api/audit/events/export?*');
  });

  it('verifies the chain, and names the tampered event after it is changed in the table', async () => {
    const { page } = amy;
    const section = page.getByRole('region', { name: 'Chain verification' });
    await section.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => section.textContent(), { timeout: 20_000 }).toMatch(/Intact: all \d+ events on 32 chains link up/);

    // Someone with raw table access rewrites the reason of alice's request.created event.
    const created = (await api(await tokenFor({ sub: 'amy', tenant, roles: ['auditor'] })).get(`/audit/requests/${requestId}/events`)).body.items[0];
    expect(created.action).toBe('request.created');
    const chain = chainOfRequest(requestId);
    // Straight to DynamoDB Local as its admin (the functions' IAM-checking front is not in the way), as the integration tests do.
    const { db } = dynamoStores();
    await db.send(new UpdateCommand({ TableName: inject('logTable'), Key: logKeys.event(tenant, chain, created.seq), UpdateExpression: 'SET details.reason = :r', ExpressionAttributeValues: { ':r': 'nothing to see' } }));
    db.destroy();

    await section.getByRole('button', { name: 'Verify the chain' }).click();
    const alert = section.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain(`Broken: chain ${chain}, event #${created.seq} was changed after it was written.`);
    expect(await alert.textContent()).toContain(`Seq ${created.seq} does not hash to its stored hash`);
    await capture(page, 'audit-broken-chain');
  });
});

describe('the admin in the console', () => {
  let ada: Signed;

  it('onboards an account through the wizard: setup handed over, a failed verification with its fix, then verified', async () => {
    ada = await person('ada', ['admin']);
    const { page } = ada;
    await go(page, '#/integrations');
    await expect.poll(() => page.getByRole('heading', { name: 'Integrations', level: 1 }).count()).toBe(1);
    const account = '210987654321';
    await page.getByLabel('AWS account ID').fill('12345');
    await page.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('12 digits');
    await page.getByLabel('Name', { exact: true }).fill('acme-staging');
    await page.getByLabel('AWS account ID').fill(account);
    await page.getByRole('button', { name: 'Link account' }).click();
    const externalId = page.getByLabel('External ID');
    await expect.poll(() => externalId.count()).toBe(1);
    expect(await externalId.inputValue()).toMatch(/^lk-ext-/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CloudFormation template' }).click();
    const template = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    const sql = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download SQL for the database users' }).click();
    expect((await sql).suggestedFilename()).toMatch(/\.sql$/);
    await capture(page, 'integrations-setup');

    // The customer installs a role whose trust policy forgot the external ID condition.
    const integration = (await admin.get('/integrations')).body.items.find((i: { name: string }) => i.name === 'acme-staging');
    const setup = (await admin.get(`/integrations/${integration.integrationId}/setup`)).body;
    const permissionPolicies = setup.permissionPolicy ? [setup.permissionPolicy] : [];
    const lax = structuredClone(setup.trustPolicy);
    for (const statement of lax.Statement) delete statement.Condition;
    const laxArn = `arn:aws:iam::${account}:role/latchkey/Lax${Date.now()}`;
    await control('roles', { arn: laxArn, trustPolicy: lax, permissionPolicies });
    await page.getByLabel('Role ARN').fill(laxArn);
    await page.getByRole('button', { name: 'Register role' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Verify role' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Verify role' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Verification failed' });
    await expect.poll(() => alert.textContent()).toContain('Verification failed (external_id_not_enforced).');
    expect(await alert.textContent()).toContain(`What to do: Send the customer the trust policy of step 2 again: every statement trusting Latchkey must carry the condition sts:ExternalId = ${integration.externalId}`);
    expect(await alert.textContent()).toMatch(/without-external-iddeniedassumed/);
    await capture(page, 'integrations-failed');

    // Then installs it as emitted.
    const goodArn = `arn:aws:iam::${account}:role/latchkey/Good${Date.now()}`;
    await control('roles', { arn: goodArn, trustPolicy: setup.trustPolicy, permissionPolicies });
    await page.getByLabel('Role ARN').fill(goodArn);
    await page.getByRole('button', { name: 'Register role' }).click();
    await expect.poll(() => page.getByText('Registered. The integration stays pending').count()).toBe(1);
    await page.getByRole('button', { name: 'Verify role' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Verified on' }).count()).toBe(1);
    expect((await admin.get(`/integrations/${integration.integrationId}`)).body.status).toBe('verified');
    await capture(page, 'integrations');

    await go(page, '#/services');
    await expect.poll(() => page.getByText('No service is registered').count()).toBe(1);
    await capture(page, 'services');
  });

  it('edits a database policy, and says what the customer must re-install after a change of users', async () => {
    const { page } = ada;
    await go(page, '#/targets');
    const card = page.getByRole('listitem', { name: 'orders-pg' });
    await expect.poll(() => card.textContent()).toContain('1 approval(s) · up to 120 min · reason required');
    await card.getByRole('button', { name: 'Edit policy: orders-pg' }).click();
    await card.getByLabel('Approvals required').fill('2');
    await card.getByLabel('Longest grant (minutes)').fill('90');
    await capture(page, 'targets-policy');
    await card.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'orders-pg' }).textContent()).toContain('2 approval(s) · up to 90 min');
    expect((await admin.get(`/targets/${targetId}`)).body.policy).toMatchObject({ approvalsRequired: 2, maxDurationMinutes: 90, approvers: { groups: ['dba'] } });

    const changed = page.getByRole('listitem', { name: 'orders-pg' });
    await changed.getByRole('button', { name: 'Change users: orders-pg' }).click();
    await changed.getByLabel('Database users (comma-separated)').fill('app_ro, reporting');
    await changed.getByRole('button', { name: 'Save users' }).click();
    await expect.poll(() => changed.getByRole('status').textContent()).toContain('The customer must re-install the setup of this database\'s integration: its permission policy now also allows reporting; create the new users with the setup’s SQL');
    await capture(page, 'targets');
    await changed.getByRole('button', { name: 'Done' }).click();
    expect((await admin.get(`/targets/${targetId}`)).body.databaseUsers).toEqual(['app_ro', 'reporting']);
  });
});

describe('a user of another tenant', () => {
  it('sees none of it on any page', async () => {
    const other = `${tenant}-other`;
    const mallory = await person('alice', ['requester', 'approver', 'auditor', 'admin'], ['dba'], other);
    const { page } = mallory;
    const expectations: [string, string][] = [
      ['#/access', 'No databases are registered in your tenant yet'],
      ['#/inbox', 'Nothing waits for you'],
      ['#/audit', 'No event matches these filters'],
      ['#/integrations', 'No customer account is linked yet'],
      ['#/targets', 'No database is registered yet'],
      ['#/services', 'No service is registered'],
    ];
    for (const [hash, empty] of expectations) {
      await go(page, hash);
      await expect.poll(() => page.getByText(empty).count(), { timeout: 10_000 }).toBe(1);
      const html = await page.content();
      for (const theirs of [requestId, targetId, 'orders-pg', 'acme-staging', 'INC-4711']) expect(html, `${hash} shows ${theirs}`).not.toContain(theirs);
    }
    await capture(page, 'other-tenant-audit');
  });
});

describe('the session', () => {
  it('keeps tokens out of storage, ends on sign-out, and says so when the token expires', async () => {
    const short = await signIn(browser, { user: 'alice', tenant, roles: ['requester'], ttl: 4 });
    opened.push(short);
    const { page } = short;
    const stored = (await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })')) as string;
    expect(stored).toBe('{"local":{},"session":{}}');
    await expect.poll(() => page.getByText(/Your session expired at .*Sign in again\./).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    await capture(page, 'signed-out');

    const again = await person('alice', ['requester']);
    await again.page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => again.page.getByText('You signed out.').count()).toBe(1);
    // Signed out is signed out: nothing of the requests is on the page.
    expect(await again.page.content()).not.toContain('orders-pg');
  });

  it('is served with a CSP that allows no inline script and no framing, and HSTS', async () => {
    const response = await fetch(inject('consoleUrl'));
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // Nothing outside the built assets is served: a climb out of console/dist answers the app.
    const climb = await fetch(`${inject('consoleUrl')}/assets/%2e%2e/%2e%2e/%2e%2e/package.json`);
    expect(await climb.text()).toContain('<div id="root">');
    // The issuer lets loopback origins (the console) read its token answers, and no other origin.
    const discovery = `${inject('issuer')}/.well-known/openid-configuration`;
    expect((await fetch(discovery, { headers: { origin: inject('consoleUrl') } })).headers.get('access-control-allow-origin')).toBe(inject('consoleUrl'));
    expect((await fetch(discovery, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });
});
