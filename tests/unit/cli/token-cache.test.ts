import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configDir, cacheDir } from '../../../cli/paths.ts';
import { TokenCache, type Session } from '../../../cli/token-cache.ts';

const session = (apiUrl: string, accessToken = 'header.payload.signature'): Session => ({
  apiUrl,
  issuer: 'http://127.0.0.1:4481',
  clientId: 'latchkey',
  tokenEndpoint: 'http://127.0.0.1:4481/token',
  accessToken,
  refreshToken: 'refresh-me',
  expiresAt: '2026-12-04T11:00:00.000Z',
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the token cache', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'latchkey-cli-cache-'));
    dir = join(root, 'config', 'latchkey');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the file 0600 in a 0700 folder', () => {
    new TokenCache(dir).save(session('http://a'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'sessions.json'))).toBe(0o600);
  });

  it('keeps one session per API and remembers the last one', () => {
    const cache = new TokenCache(dir);
    cache.save(session('http://a', 'token-a'));
    cache.save(session('http://b', 'token-b'));
    expect(cache.get('http://a')?.accessToken).toBe('token-a');
    expect(cache.get('http://b')?.accessToken).toBe('token-b');
    expect(cache.current()).toBe('http://b');
    expect(new TokenCache(dir).get('http://a')?.refreshToken).toBe('refresh-me');
  });

  it('forgets a session on logout, and the file with the last one', () => {
    const cache = new TokenCache(dir);
    cache.save(session('http://a'));
    cache.save(session('http://b'));
    expect(cache.remove('http://b')).toBe(true);
    expect(cache.get('http://b')).toBeUndefined();
    expect(cache.current()).toBeUndefined();
    expect(cache.remove('http://b')).toBe(false);
    expect(cache.remove('http://a')).toBe(true);
    expect(existsSync(join(dir, 'sessions.json'))).toBe(false);
  });

  it('tightens a file and a folder someone loosened', () => {
    const cache = new TokenCache(dir);
    cache.save(session('http://a'));
    chmodSync(join(dir, 'sessions.json'), 0o644);
    chmodSync(dir, 0o755);
    expect(cache.get('http://a')).toBeDefined();
    expect(mode(join(dir, 'sessions.json'))).toBe(0o600);
    cache.save(session('http://b'));
    expect(mode(dir)).toBe(0o700);
  });

  it('treats an unreadable file as no login, and the next login replaces it', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sessions.json'), '{not json', { mode: 0o600 });
    const cache = new TokenCache(dir);
    expect(cache.get('http://a')).toBeUndefined();
    cache.save(session('http://a'));
    expect(JSON.parse(readFileSync(join(dir, 'sessions.json'), 'utf8')).sessions['http://a'].accessToken).toBe('header.payload.signature');
  });
});

describe('where the CLI keeps things', () => {
  it('follows XDG_CONFIG_HOME and XDG_CACHE_HOME, else ~/.config and ~/.cache', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/u' })).toBe('/x/config/latchkey');
    expect(configDir({ HOME: '/home/u' })).toBe('/home/u/.config/latchkey');
    // A relative XDG path is ignored, as the spec says.
    expect(configDir({ XDG_CONFIG_HOME: 'rel', HOME: '/home/u' })).toBe('/home/u/.config/latchkey');
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/latchkey');
    expect(cacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/latchkey');
  });
});
