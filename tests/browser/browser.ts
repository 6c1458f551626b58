import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

// Debian's Chromium, driven by playwright-core (no browser download: `executablePath`).
// Each person gets their own context (own memory, own sessionStorage), as two browsers would.
// Every page visited is checked by axe-core and photographed at desktop width and at 375 px.

export const CHROMIUM = process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launch(): Promise<Browser> {
  // --no-sandbox: the tests run as root here and in CI, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface Person {
  user: string;
  tenant: string;
  roles: string[];
  groups?: string[];
  /** Token lifetime in seconds (the dev issuer's login page field). */
  ttl?: number;
}

export interface Signed {
  context: BrowserContext;
  page: Page;
  /** Content-Security-Policy violations and page errors seen so far: a test expects none. */
  problems: string[];
}

/** Opens the console in a fresh context and signs in through the dev issuer's page (authorization code + PKCE). */
export async function signIn(browser: Browser, person: Person): Promise<Signed> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(inject('consoleUrl'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === inject('issuer') && url.pathname === '/authorize');
  await logIn(page, person);
  return { context, page, problems };
}

/** On the dev issuer's login page: says who to be, signs in, and waits for the console to be signed in. */
export async function logIn(page: Page, person: Person): Promise<void> {
  await page.getByLabel('User').fill(person.user);
  await page.getByLabel('Tenant').fill(person.tenant);
  await page.getByLabel('Roles').fill(person.roles.join(','));
  if (person.groups) await page.getByLabel('Groups').fill(person.groups.join(','));
  if (person.ttl) await page.getByLabel('Token lifetime (s)').fill(String(person.ttl));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === inject('consoleUrl'));
  await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count(), { timeout: 15_000 }).toBe(1);
}

type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] };

/** axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not govern). */
export async function expectAccessible(page: Page): Promise<void> {
  const result = (await page.evaluate(`(async () => { ${AXE_SOURCE}; return axe.run(document, { resultTypes: ['violations'] }); })()`)) as AxeResult;
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Checks the page with axe and saves it at 1280 px and at 375 px wide (where it must not scroll sideways). */
export async function capture(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 740 });
  await expectAccessible(page);
  // Whether the page scrolls sideways, and if so the elements reaching past the right edge
  // (outside a scroll container of their own, such as a wide table's).
  const wider = (await page.evaluate(`document.documentElement.scrollWidth <= document.documentElement.clientWidth ? [] :
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !e.parentElement?.closest('.table-wrap'))
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))`)) as string[];
  expect(wider, `${name} scrolls sideways at 375 px`).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-375.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}
