import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ExitCode } from '../../cli/errors.ts';
import { challengeFor, createState, createVerifier } from '../../cli/pkce.ts';
import { api } from '../support/api.ts';
import { cachedSession, cliJson, forgetPeople, login, person, runCli, sessionsFile, type Person } from '../support/cli.ts';
import { tokenFor } from '../support/tokens.ts';

// `latchkey login` through the dev issuer's authorization code flow with PKCE,
// the token cache it leaves, refresh, logout, tokens for scripts, and how the
// API's refusals reach a person. The issuer's own refusals are checked over
// HTTP here too: the flow is only as good as what it refuses.

const tenant = `cli-login-${Date.now().toString(36)}`;
const issuer = inject('issuer');

afterAll(forgetPeople);

describe('the latchkey command', () => {
  it('runs as `npx latchkey` from the checkout (package.json bin), with its exit codes in --help', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync('npx', ['--no-install', 'latchkey', '--help'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: latchkey \[options\] \[command\]/);
    expect(run.stdout).toContain('3  not signed in');
  });
});

describe('latchkey login', () => {
  let alice: Person;
  beforeAll(() => {
    alice = person('alice');
  });

  it('signs in through the browser flow and caches the login 0600 in a 0700 folder', async () => {
    const run = await login(alice, { user: 'alice', tenant, roles: ['requester', 'auditor'], groups: ['analysts'] });
    expect(run.stdout).toContain(`as alice (tenant ${tenant}; roles requester, auditor; groups analysts)`);
    expect(statSync(sessionsFile(alice)).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(sessionsFile(alice))).mode & 0o777).toBe(0o700);
    const me = await cliJson(alice, ['whoami']);
    expect(me).toEqual({ id: 'alice', kind: 'user', tenantId: tenant, roles: ['requester', 'auditor'], groups: ['analysts'] });
    // Nothing configured but LATCHKEY_HOME: the CLI found the local stack's API and issuer in its stack.json.
    expect(alice.env.LATCHKEY_API_URL).toBeUndefined();
  });

  it('never prints the token it holds', async () => {
    const { accessToken, refreshToken } = cachedSession(alice);
    const runs = [await runCli(alice, ['whoami']), await runCli(alice, ['--json', 'whoami']), await runCli(alice, ['--verbose', 'requests'])];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      for (const secret of [accessToken, refreshToken!]) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    }
    expect(runs[2]!.stderr).toMatch(/GET \/requests → 200/);
  });

  it('refreshes a token about to expire with the refresh token, rotating it', async () => {
    const bob = person('bob');
    await login(bob, { user: 'bob', tenant, roles: ['approver'], ttl: 30 });
    const before = cachedSession(bob);
    expect(before.refreshToken).toBeDefined();
    expect((await cliJson(bob, ['whoami'])).id).toBe('bob');
    const after = cachedSession(bob);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(statSync(sessionsFile(bob)).mode & 0o777).toBe(0o600);
  });

  it('logs out, after which commands ask to sign in (exit 3)', async () => {
    const carol = person('carol');
    await login(carol, { user: 'carol', tenant, roles: ['requester'] });
    const out = await runCli(carol, ['logout']);
    expect(out.stdout).toContain('Signed out of');
    const after = await runCli(carol, ['whoami']);
    expect(after.code).toBe(ExitCode.notSignedIn);
    expect(after.stderr).toContain('latchkey: not signed in for');
    expect(after.stderr).toContain('run `latchkey login`');
  });

  it('takes a token from LATCHKEY_TOKEN for scripts, and says when the API refuses it', async () => {
    const script = person('script');
    const token = await tokenFor({ sub: 'ci-bot', tenant, roles: ['auditor'] });
    expect((await cliJson({ ...script, env: { ...script.env, LATCHKEY_TOKEN: token } }, ['whoami'])).id).toBe('ci-bot');
    const refused = await runCli(script, ['whoami'], { LATCHKEY_TOKEN: `${token.slice(0, -4)}AAAA` });
    expect(refused.code).toBe(ExitCode.notSignedIn);
    expect(refused.stderr).toContain('latchkey: Unauthorized (unauthorized, HTTP 401)');
  });

  it("shows the API's error and message plainly, with the documented exit code", async () => {
    const missing = await runCli(alice, ['request', 'no-such-db', '--user', 'app_ro', '--for', '1h', '--reason', 'x']);
    expect(missing.code).toBe(ExitCode.notFound);
    expect(missing.stderr).toContain('latchkey: no target "no-such-db" in your tenant');
    const bad = await runCli(alice, ['show', 'not-an-id']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toMatch(/latchkey: .+ \(validation_failed, HTTP 400\)\n {2}requestId: is not a valid id/);
    const usage = await runCli(alice, ['request', 'x', '--user', 'u', '--for', 'soon']);
    expect(usage.code).toBe(ExitCode.usage);
    expect(usage.stderr).toContain('"soon" is not a duration');
  });
});

describe('the dev issuer refuses what a real one refuses', () => {
  const authorizeUrl = (over: Record<string, string> = {}) => {
    const url = new URL('/authorize', issuer);
    const verifier = createVerifier();
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'latchkey', redirect_uri: 'http://127.0.0.1:1/callback', state: createState(), code_challenge: challengeFor(verifier), code_challenge_method: 'S256', ...over })) url.searchParams.set(k, v);
    return { url: url.toString(), verifier };
  };
  const token = (form: Record<string, string>) =>
    fetch(new URL('/token', issuer), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const codeFrom = async (url: string) => new URL((await signInAtManual(url)).headers.get('location')!).searchParams.get('code')!;
  /** The login form posted, without following the redirect (nothing listens at the redirect URI here). */
  async function signInAtManual(url: string): Promise<Response> {
    const form = new URL(url).searchParams;
    form.set('user', 'mallory');
    form.set('tenant', tenant);
    form.set('roles', 'requester');
    return fetch(new URL('/authorize', issuer), { method: 'POST', body: form, redirect: 'manual' });
  }

  it('publishes the code flow in its discovery document', async () => {
    const doc = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(doc).toMatchObject({
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
  });

  it('shows no login page for a redirect off this machine, or without PKCE', async () => {
    const offMachine = await fetch(authorizeUrl({ redirect_uri: 'https://attacker.example.com/cb' }).url);
    expect(offMachine.status).toBe(400);
    expect(await offMachine.text()).toContain('loopback redirect');
    const noPkce = new URL(authorizeUrl().url);
    noPkce.searchParams.delete('code_challenge');
    expect((await fetch(noPkce)).status).toBe(400);
  });

  it('answers nobody who reaches it under another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/authorize', issuer), { headers: { host: 'attacker.example.com' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('gives tokens only for the verifier, the same redirect URI, and once', async () => {
    const { url, verifier } = authorizeUrl();
    const code = await codeFrom(url);
    const base = { grant_type: 'authorization_code', code, client_id: 'latchkey', redirect_uri: 'http://127.0.0.1:1/callback' };
    const wrongRedirect = await token({ ...base, redirect_uri: 'http://127.0.0.1:2/callback', code_verifier: verifier });
    expect(await wrongRedirect.json()).toMatchObject({ error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' });
    const good = await token({ ...base, code_verifier: verifier });
    expect(good.status).toBe(200);
    const tokens = (await good.json()) as { access_token: string };
    // The token works at the API: the issuer's flow and the API's authorizer agree.
    expect((await api(tokens.access_token).get('/me')).body).toMatchObject({ id: 'mallory', tenantId: tenant });
    const replay = await token({ ...base, code_verifier: verifier });
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });

    const other = authorizeUrl();
    const stolen = await codeFrom(other.url);
    const guessed = await token({ ...base, code: stolen, code_verifier: createVerifier() });
    expect(await guessed.json()).toMatchObject({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
  });

  it('never redirects a sign-in it refused; the form says what was wrong', async () => {
    const { url } = authorizeUrl();
    const form = new URL(url).searchParams;
    form.set('user', 'mallory');
    form.set('tenant', tenant);
    form.set('roles', 'superuser');
    const refused = await fetch(new URL('/authorize', issuer), { method: 'POST', body: form, redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('unknown role(s): superuser');
  });
});
