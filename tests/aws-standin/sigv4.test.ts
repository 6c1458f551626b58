import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import type { SigningCredential } from '#dev/aws-standin/model';
import { verifySigV4, type SignedRequest } from '#dev/aws-standin/sigv4';

// The generic verifier, as the local API adapter uses it for `execute-api`.

const SERVICE = { accessKeyId: 'ASIASERVICEROLE00001', secretAccessKey: 'svc/secret+key', sessionToken: 'svc-token+/=', expiration: new Date('2026-05-01T13:00:00Z') };
const NOW = new Date('2026-05-01T12:00:00Z');
const lookup = (id: string): SigningCredential | undefined => (id === SERVICE.accessKeyId ? SERVICE : undefined);

async function signed(options: { service?: string; region?: string; credentials?: SigningCredential; at?: Date; body?: string } = {}): Promise<SignedRequest> {
  const body = options.body ?? '{"durationMinutes":30}';
  const query = { expand: 'issuances', q: 'a+b c/d' };
  const request = new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 3000, path: '/requests/01JCZ3M4/mint', query, body,
    headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' },
  });
  const signer = new SignatureV4({ service: options.service ?? 'execute-api', region: options.region ?? 'eu-central-1', credentials: options.credentials ?? SERVICE, sha256: Sha256 });
  const out = await signer.sign(request, { signingDate: options.at ?? NOW });
  const search = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return { method: out.method, url: `${out.path}?${search}`, headers: out.headers, body };
}

const verify = (req: SignedRequest, now = NOW, region?: string) =>
  verifySigV4(req, lookup, { service: 'execute-api', now, ...(region && { region }) });

describe('verifySigV4', () => {
  it('accepts a request signed by the SDK signer, from the wire URL or from path and query', async () => {
    const req = await signed();
    const fromParts = { ...req, url: undefined, path: '/requests/01JCZ3M4/mint', query: { expand: 'issuances', q: 'a+b c/d' } };

    expect(await verify(req)).toMatchObject({ ok: true, credential: SERVICE, region: 'eu-central-1', service: 'execute-api' });
    expect(await verify(fromParts, NOW, 'eu-central-1')).toMatchObject({ ok: true });
  });

  it.each<[string, () => Promise<SignedRequest>, Date, string]>([
    ['no Authorization header', async () => ({ ...(await signed()), headers: { host: '127.0.0.1:3000' } }), NOW, 'missing-authentication'],
    ['a changed body', async () => ({ ...(await signed()), body: '{"durationMinutes":600}' }), NOW, 'signature-mismatch'],
    ['a changed path', async () => ({ ...(await signed()), url: '/requests/OTHER/mint?expand=issuances&q=a%2Bb%20c%2Fd' }), NOW, 'signature-mismatch'],
    ['a changed query', async () => ({ ...(await signed()), url: '/requests/01JCZ3M4/mint?expand=all&q=a%2Bb%20c%2Fd' }), NOW, 'signature-mismatch'],
    ['a wrong secret', async () => signed({ credentials: { ...SERVICE, secretAccessKey: 'nope' } }), NOW, 'signature-mismatch'],
    ['a signature for another service', async () => signed({ service: 'sts' }), NOW, 'wrong-scope'],
    ['an unknown access key', async () => signed({ credentials: { ...SERVICE, accessKeyId: 'ASIAUNKNOWN000000000' } }), NOW, 'unknown-access-key'],
    ['another session token', async () => signed({ credentials: { ...SERVICE, sessionToken: 'forged' } }), NOW, 'invalid-session-token'],
    ['a signature six minutes old', async () => signed({ at: new Date(NOW.getTime() - 6 * 60_000) }), NOW, 'signature-expired'],
    ['credentials past their expiration', async () => signed({ at: new Date('2026-05-01T13:00:00Z') }), new Date('2026-05-01T13:00:01Z'), 'expired-token'],
  ])('refuses %s', async (_, request, now, code) => {
    expect(await verify(await request(), now)).toMatchObject({ ok: false, code });
  });

  it('refuses a region other than the one required', async () => {
    expect(await verify(await signed({ region: 'us-east-1' }), NOW, 'eu-central-1')).toMatchObject({ ok: false, code: 'wrong-scope' });
  });

  it('refuses a declared payload hash that does not match the body', async () => {
    const req = await signed();
    const headers = { ...req.headers, 'x-amz-content-sha256': '0'.repeat(64) };
    expect(await verify({ ...req, headers })).toMatchObject({ ok: false, code: 'signature-mismatch' });
  });
});
