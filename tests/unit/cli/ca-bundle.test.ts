import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { caBundle, RDS_CA_BUNDLE_URL } from '../../../cli/ca-bundle.ts';

// The CA bundle connect verifies the database against: the local stack's CA as
// given; otherwise the RDS global bundle, downloaded once and kept for 30 days.

/** A real self-signed certificate (EC P-256, no key kept): the bundle must parse, not merely look like PEM. */
const PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBmzCCAUGgAwIBAgIUOSkHjpWdMSqGw3MmN0TJkcI3ohIwCgYIKoZIzj0EAwIw',
  'IjEgMB4GA1UEAwwXTGF0Y2hrZXkgdGVzdCBDQSBidW5kbGUwIBcNMjYxMjA0MjMw',
  'OTE4WhgPMjEyNjExMTAyMzA5MThaMCIxIDAeBgNVBAMMF0xhdGNoa2V5IHRlc3Qg',
  'Q0EgYnVuZGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4JW6K+uGoEmC1UZD',
  'ktOhBGBycUjpZ7oPNpqvVupeON3Uo9qAV3vG86e4bU6LxTY1dp9JdJxphX/ba7np',
  'oOJpqaNTMFEwHQYDVR0OBBYEFFQWpBLy2droSiKwWqPCOAv/iQyvMB8GA1UdIwQY',
  'MBaAFFQWpBLy2droSiKwWqPCOAv/iQyvMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI',
  'zj0EAwIDSAAwRQIgfU2+hgZmorYCOl0HCuvuI44V30gibd2lYFTs68i0nQgCIQCX',
  'SWiisqjFImj6r2fLUxy6/IH6G2R9gjblhzSAK2hBag==',
  '-----END CERTIFICATE-----',
].join('\n') + '\n';

describe('caBundle', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let fetched: string[];
  let body: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'latchkey-cli-ca-'));
    env = { XDG_CACHE_HOME: root, HOME: root };
    fetched = [];
    body = PEM;
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(String(url));
      return new Response(body, { status: 200 });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    rmSync(root, { recursive: true, force: true });
  });

  it('uses the local stack’s CA without any download', async () => {
    expect(await caBundle({ localCa: '/stack/tls/ca.pem', env })).toBe('/stack/tls/ca.pem');
    expect(fetched).toEqual([]);
  });

  it('downloads the RDS bundle once into the cache dir, then reuses it', async () => {
    const path = await caBundle({ env });
    expect(path).toMatch(new RegExp(`^${join(root, 'latchkey')}/rds-ca-[0-9a-f]{16}\\.pem$`));
    expect(readFileSync(path, 'utf8')).toBe(PEM);
    expect(await caBundle({ env })).toBe(path);
    expect(fetched).toEqual([RDS_CA_BUNDLE_URL]);
    expect(statSync(join(root, 'latchkey')).mode & 0o777).toBe(0o700);
  });

  it('downloads it again after 30 days', async () => {
    const path = await caBundle({ env });
    const old = new Date(Date.now() - 31 * 24 * 3600_000);
    utimesSync(path, old, old);
    await caBundle({ env });
    expect(fetched).toHaveLength(2);
  });

  it('refuses a bundle over plain HTTP, and an answer that is not PEM', async () => {
    await expect(caBundle({ env, url: 'http://truststore.example.com/bundle.pem' })).rejects.toThrow(/refusing to fetch a CA bundle over http/);
    body = '<html>captive portal</html>';
    await expect(caBundle({ env })).rejects.toThrow(/did not return PEM certificates/);
    body = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    await expect(caBundle({ env })).rejects.toThrow(/did not return PEM certificates/);
    expect(fetched).toEqual([RDS_CA_BUNDLE_URL, RDS_CA_BUNDLE_URL]);
  });

  it('keeps one cached bundle per URL: another deployment’s bundle never stands in for this one', async () => {
    const rds = await caBundle({ env });
    const other = await caBundle({ env, url: 'https://truststore.example.com/other-bundle.pem' });
    expect(other).not.toBe(rds);
    expect(await caBundle({ env })).toBe(rds);
    expect(fetched).toEqual([RDS_CA_BUNDLE_URL, 'https://truststore.example.com/other-bundle.pem']);
  });
});
