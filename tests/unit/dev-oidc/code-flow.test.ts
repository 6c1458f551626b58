import { describe, expect, it } from 'vitest';
import { CODE_TTL_MS, CodeFlow, OAuthError, isLoopbackRedirect, parseAuthorizationRequest, parseLogin, signIn, type LoginClaims } from '../../../dev/oidc/code-flow.ts';
import { challengeFor, createVerifier } from '../../../cli/pkce.ts';

// The dev issuer's authorization code flow, judged as a real IdP would judge a client.

const REDIRECT = 'http://127.0.0.1:50123/callback';
const verifier = createVerifier();
const authorization = (over: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams();
  const all = { response_type: 'code', client_id: 'latchkey', redirect_uri: REDIRECT, code_challenge: challengeFor(verifier), code_challenge_method: 'S256', state: 'st4te', scope: 'openid offline_access', ...over };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) params.set(k, v);
  return params;
};
const alice: LoginClaims = { sub: 'alice', tenant: 'acme', roles: ['requester'], groups: [] };

function world() {
  let now = Date.parse('2026-12-04T10:00:00Z');
  const minted: Array<{ claims: LoginClaims; audience: string; extra: Record<string, unknown> }> = [];
  const flow = new CodeFlow(async (claims, audience, extra) => {
    minted.push({ claims, audience, extra });
    return `jwt-${minted.length}`;
  }, () => now);
  const code = () => flow.issueCode(parseAuthorizationRequest(authorization()), alice);
  const exchange = (c: string, over: Record<string, string> = {}) =>
    flow.token(new URLSearchParams({ grant_type: 'authorization_code', code: c, client_id: 'latchkey', redirect_uri: REDIRECT, code_verifier: verifier, ...over }));
  return { flow, minted, code, exchange, advance: (ms: number) => (now += ms) };
}

const rejection = (error: string) => expect.objectContaining({ error }) as unknown as OAuthError;

describe('the authorization request', () => {
  it('sends the browser back to the loopback redirect with the code and the state', () => {
    const { location } = world().code();
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(url.searchParams.get('state')).toBe('st4te');
    expect(url.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['a non-loopback redirect', { redirect_uri: 'http://evil.example.com:50123/callback' }, /loopback/],
    ['localhost instead of an IP literal', { redirect_uri: 'http://localhost:50123/callback' }, /loopback/],
    ['https to a loopback name', { redirect_uri: 'https://127.0.0.1:50123/callback' }, /loopback/],
    ['a redirect without a port', { redirect_uri: 'http://127.0.0.1/callback' }, /loopback/],
    ['no redirect', { redirect_uri: undefined }, /loopback/],
    ['no PKCE', { code_challenge: undefined, code_challenge_method: undefined }, /PKCE is required/],
    ['PKCE plain', { code_challenge_method: 'plain' }, /PKCE is required/],
    ['a malformed challenge', { code_challenge: 'short' }, /PKCE is required/],
    ['the implicit flow', { response_type: 'token' }, /response_type must be code/],
    ['no client', { client_id: undefined }, /client_id/],
    ['no openid scope', { scope: 'profile' }, /openid/],
  ])('refuses %s', (_name, over, message) => {
    expect(() => parseAuthorizationRequest(authorization(over))).toThrow(message);
  });

  it('accepts an IPv6 loopback redirect', () => {
    expect(isLoopbackRedirect('http://[::1]:8080/cb')).toBe(true);
    expect(isLoopbackRedirect('http://127.0.0.1:8080/cb#frag')).toBe(false);
    expect(isLoopbackRedirect('http://user:pw@127.0.0.1:8080/cb')).toBe(false);
  });

  it('takes who to be from the login form, refusing unknown roles and bad lifetimes', () => {
    expect(parseLogin(new URLSearchParams({ user: 'bob', tenant: 'acme', roles: 'approver, requester', groups: 'dba,ops', ttl: '120' }))).toEqual({
      sub: 'bob', tenant: 'acme', roles: ['approver', 'requester'], groups: ['dba', 'ops'], ttlSeconds: 120,
    });
    expect(() => parseLogin(new URLSearchParams({ user: 'bob', tenant: 'acme', roles: 'root' }))).toThrow(/unknown role\(s\): root/);
    expect(() => parseLogin(new URLSearchParams({ user: '', tenant: 'acme' }))).toThrow(/user is required/);
    expect(() => parseLogin(new URLSearchParams({ user: 'bob', tenant: 'a b' }))).toThrow(/tenant/);
    expect(() => parseLogin(new URLSearchParams({ user: 'bob', tenant: 'acme', ttl: '0' }))).toThrow(/ttl/);
  });
});

describe('the token endpoint', () => {
  it('exchanges a code once, with the verifier, for tokens whose audience is the client', async () => {
    const w = world();
    const { code } = w.code();
    const tokens = await w.exchange(code);
    expect(tokens).toMatchObject({ access_token: 'jwt-1', id_token: 'jwt-2', token_type: 'Bearer', expires_in: 3600 });
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(w.minted[0]).toMatchObject({ claims: alice, audience: 'latchkey' });
  });

  it('refuses a wrong verifier, and the code is spent by the attempt', async () => {
    const w = world();
    const { code } = w.code();
    await expect(w.exchange(code, { code_verifier: createVerifier() })).rejects.toEqual(rejection('invalid_grant'));
    await expect(w.exchange(code)).rejects.toThrow(/already used/);
    expect(w.minted).toHaveLength(0);
  });

  it('refuses a replayed code and revokes the refresh token it produced', async () => {
    const w = world();
    const { code } = w.code();
    const first = await w.exchange(code);
    await expect(w.exchange(code)).rejects.toThrow(/already used/);
    await expect(w.flow.token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: 'latchkey' }))).rejects.toThrow(/unknown, expired or revoked/);
  });

  it.each([
    ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:50124/callback' }, /redirect_uri does not match/],
    ['another client', { client_id: 'other' }, /client_id does not match/],
    ['a malformed verifier', { code_verifier: 'short' }, /code_verifier must be/],
    ['an unknown code', { code: 'nope' }, /unknown or expired/],
    ['another grant type', { grant_type: 'password' }, /grant_type/],
  ])('refuses %s', async (_name, over, message) => {
    const w = world();
    const { code } = w.code();
    await expect(w.exchange(code, over)).rejects.toThrow(message);
  });

  it('refuses a code older than a minute', async () => {
    const w = world();
    const { code } = w.code();
    w.advance(CODE_TTL_MS);
    await expect(w.exchange(code)).rejects.toThrow(/unknown or expired/);
  });

  it('rotates refresh tokens: each works once and yields a new one', async () => {
    const w = world();
    const first = await w.exchange(w.code().code);
    const refresh = (token: string) => w.flow.token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'latchkey' }));
    const second = await refresh(first.refresh_token!);
    expect(second.access_token).toBe('jwt-3');
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expect(refresh(first.refresh_token!)).rejects.toThrow(/unknown, expired or revoked/);
    expect((await refresh(second.refresh_token!)).access_token).toBe('jwt-5');
  });

  it('issues no refresh token without offline_access', async () => {
    const w = world();
    const { code } = w.flow.issueCode(parseAuthorizationRequest(authorization({ scope: 'openid' })), alice);
    expect((await w.exchange(code)).refresh_token).toBeUndefined();
  });
});

describe('sign-in facts for step-up (auth_time, amr)', () => {
  const form = (over: Record<string, string> = {}) => new URLSearchParams({ user: 'bob', tenant: 'acme', roles: 'approver', ...over });
  const NOW_MS = Date.parse('2026-12-04T10:00:00Z');

  it('reads prompt, max_age and acr_values from the authorization request', () => {
    expect(parseAuthorizationRequest(authorization({ prompt: 'login', max_age: '0', acr_values: 'mfa' }))).toMatchObject({ prompt: 'login', maxAge: 0, acrValues: 'mfa' });
  });

  it.each([
    ['prompt=none (no sessions to reuse)', { prompt: 'none' }, /prompt=none/],
    ['an unknown prompt', { prompt: 'later' }, /prompt must be/],
    ['a negative max_age', { max_age: '-1' }, /max_age/],
    ['a fractional max_age', { max_age: '1.5' }, /max_age/],
  ])('refuses %s', (_what, over, message) => {
    expect(() => parseAuthorizationRequest(authorization(over))).toThrow(message);
  });

  it('stamps every sign-in as fresh, with pwd, and mfa when the second-factor box is ticked', () => {
    const request = parseAuthorizationRequest(authorization());
    expect(signIn(request, form(), NOW_MS)).toMatchObject({ sub: 'bob', authTime: NOW_MS / 1000, amr: ['pwd'] });
    expect(signIn(request, form({ mfa: 'on' }), NOW_MS).amr).toEqual(['pwd', 'mfa']);
  });

  it('refuses a sign-in without the second factor when the request asks for one (acr_values=mfa)', () => {
    const request = parseAuthorizationRequest(authorization({ acr_values: 'mfa' }));
    expect(() => signIn(request, form(), NOW_MS)).toThrow(/second factor/);
    expect(signIn(request, form({ mfa: 'on' }), NOW_MS).amr).toContain('mfa');
  });

  it('puts auth_time and amr in both tokens, and keeps them through a refresh (refreshing is not signing in)', async () => {
    const w = world();
    const request = parseAuthorizationRequest(authorization());
    const { code } = w.flow.issueCode(request, signIn(request, form({ mfa: 'on' }), NOW_MS));
    const tokens = await w.exchange(code);
    w.advance(600_000);
    await w.flow.token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: 'latchkey' }));

    expect(w.minted.map((m) => [m.extra.auth_time, m.extra.amr])).toEqual(Array(4).fill([NOW_MS / 1000, ['pwd', 'mfa']]));
  });
});
