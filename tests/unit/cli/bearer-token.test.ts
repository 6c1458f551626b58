import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerToken } from '../../../cli/auth.ts';
import { ExitCode } from '../../../cli/errors.ts';
import { TokenCache, type Session } from '../../../cli/token-cache.ts';

// Which bearer token each API call carries: --token / LATCHKEY_TOKEN as given,
// else the cached login, refreshed at the token endpoint when under a minute is left.

const API = 'http://127.0.0.1:4480';
const NOW = new Date('2026-12-04T10:00:00Z');
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const session = (expiresAt: string, refreshToken?: string): Session => ({
  apiUrl: API, issuer: 'http://127.0.0.1:4481', clientId: 'latchkey', tokenEndpoint: 'http://127.0.0.1:4481/token',
  accessToken: 'cached-token', expiresAt, ...(refreshToken ? { refreshToken } : {}),
});

describe('bearerToken', () => {
  let dir: string;
  let cache: TokenCache;
  const calls: Array<{ url: string; body: string }> = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-bearer-'));
    cache = new TokenCache(dir);
    calls.length = 0;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url: String(url), body: String(init.body) });
      const form = new URLSearchParams(String(init.body));
      if (form.get('refresh_token') !== 'refresh-1') return new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'revoked' }), { status: 400 });
      return new Response(JSON.stringify({ access_token: jwt({ sub: 'alice', tenant: 'acme' }), refresh_token: 'refresh-2', expires_in: 3600 }), { status: 200 });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses an explicit token as given, without touching the cache or the network', async () => {
    expect(await bearerToken({ apiUrl: API, explicit: 'from-env', cache, now: () => NOW })()).toBe('from-env');
    expect(calls).toHaveLength(0);
  });

  it('uses the cached token while it has more than a minute left', async () => {
    cache.save(session('2026-12-04T10:05:00Z', 'refresh-1'));
    expect(await bearerToken({ apiUrl: API, cache, now: () => NOW })()).toBe('cached-token');
    expect(calls).toHaveLength(0);
  });

  it('refreshes a token about to expire, and keeps the rotated refresh token', async () => {
    cache.save(session('2026-12-04T10:00:30Z', 'refresh-1'));
    const token = await bearerToken({ apiUrl: API, cache, now: () => NOW })();
    expect(token).toBe(jwt({ sub: 'alice', tenant: 'acme' }));
    expect(new URLSearchParams(calls[0]!.body).get('grant_type')).toBe('refresh_token');
    expect(cache.get(API)).toMatchObject({ accessToken: token, refreshToken: 'refresh-2', expiresAt: '2026-12-04T11:00:00.000Z', subject: 'alice', tenant: 'acme' });
  });

  it('asks to sign in again when there is no login, nothing to refresh with, or the refresh is refused', async () => {
    await expect(bearerToken({ apiUrl: API, cache, now: () => NOW })()).rejects.toMatchObject({ exitCode: ExitCode.notSignedIn, message: `not signed in for ${API}` });
    cache.save(session('2026-12-04T09:00:00Z'));
    await expect(bearerToken({ apiUrl: API, cache, now: () => NOW })()).rejects.toMatchObject({ exitCode: ExitCode.notSignedIn, message: expect.stringMatching(/expired/) });
    cache.save(session('2026-12-04T09:00:00Z', 'refresh-old'));
    await expect(bearerToken({ apiUrl: API, cache, now: () => NOW })()).rejects.toMatchObject({ exitCode: ExitCode.notSignedIn, message: expect.stringMatching(/could not be refreshed/) });
  });
});
