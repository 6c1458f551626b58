import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { api } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';

// The local stack as a user meets it: `npm start`'s process, driven over HTTP.
// The API Gateway behaviour under test is the JWT authorizer's (who gets in),
// the edge's (404, 413) and the binding (nothing reachable beyond 127.0.0.1).

const apiUrl = inject('apiUrl');
const alice = { sub: 'alice', tenant: 'acme', roles: ['requester', 'approver'], groups: ['dba'] };

async function rawGet(path: string, authorization?: string) {
  const response = await fetch(`${apiUrl}${path}`, { headers: authorization ? { authorization } : {} });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

async function issuerKid(): Promise<string> {
  const jwks = (await (await fetch(`${inject('issuer')}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  return jwks.keys[0]?.kid ?? '';
}

describe('local API: who gets in', () => {
  it('answers GET /me with the caller, claims parsed as in AWS', async () => {
    const me = await api(await tokenFor(alice)).get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'alice', tenantId: 'acme', roles: ['requester', 'approver'], groups: ['dba'] });
  });

  it('accepts the token without the Bearer prefix, as the HTTP API authorizer does', async () => {
    expect((await rawGet('/me', await tokenFor(alice))).status).toBe(200);
  });

  it('accepts client_id in place of a missing aud', async () => {
    const token = await tokenFor({ ...alice, claims: { aud: undefined, client_id: 'latchkey' } });
    expect((await api(token).get('/me')).status).toBe(200);
  });

  const refusals: [string, () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['a token that is not a JWT', async () => 'Bearer not-a-jwt'],
    ['an expired token', async () => `Bearer ${await tokenFor({ ...alice, now: new Date(Date.now() - 2 * 3600_000), ttlSeconds: 3600 })}`],
    ['a token not valid yet', async () => `Bearer ${await tokenFor({ ...alice, claims: { nbf: Math.floor(Date.now() / 1000) + 600 } })}`],
    ['a token issued in the future', async () => `Bearer ${await tokenFor({ ...alice, claims: { iat: Math.floor(Date.now() / 1000) + 600 } })}`],
    ['a token without exp', async () => `Bearer ${await tokenFor({ ...alice, claims: { exp: undefined } })}`],
    ['a token for another audience', async () => `Bearer ${await tokenFor({ ...alice, audience: 'someone-else' })}`],
    ['a token from another issuer', async () => `Bearer ${await tokenFor({ ...alice, issuer: 'http://127.0.0.1:1' })}`],
    [
      'a token forged with another key under the same kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const now = Math.floor(Date.now() / 1000);
        const forged = await new SignJWT({ tenant: 'acme', roles: ['admin'], groups: [] })
          .setProtectedHeader({ alg: 'RS256', kid: await issuerKid(), typ: 'JWT' })
          .setIssuer(inject('issuer'))
          .setAudience('latchkey')
          .setSubject('mallory')
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(privateKey);
        return `Bearer ${forged}`;
      },
    ],
    [
      'an unsigned token (alg none)',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const part = (value: object) => base64url.encode(JSON.stringify(value));
        const header = part({ alg: 'none', typ: 'JWT', kid: await issuerKid() });
        const payload = part({ iss: inject('issuer'), aud: 'latchkey', sub: 'mallory', tenant: 'acme', roles: '[admin]', iat: now, exp: now + 600 });
        return `Bearer ${header}.${payload}.`;
      },
    ],
  ];

  it.each(refusals)('refuses %s with 401 before the handler runs', async (_name, authorization) => {
    const response = await rawGet('/me', await authorization());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'Unauthorized' });
  });

  it('serves 50 parallel calls, each its own invocation', async () => {
    const client = api(await tokenFor(alice));
    const responses = await Promise.all(Array.from({ length: 50 }, () => client.get('/me')));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map((r) => r.headers.get('apigw-requestid'))).size).toBe(50);
  });
});

describe('local API: the edge', () => {
  it('answers an unknown route with 404 like API Gateway, token or not', async () => {
    expect(await api(await tokenFor(alice)).get('/no/such/route')).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(await api().get('/no/such/route')).toMatchObject({ status: 404, body: { message: 'Not Found' } });
  });

  it('serves the committed OpenAPI document at GET /openapi.json, without a token', async () => {
    const response = await api().get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')));
  });

  it('refuses a 2 MiB body with 413 at the edge', async () => {
    const body = JSON.stringify({ reason: 'x'.repeat(2 * 1024 * 1024) });
    const response = await api(await tokenFor(alice)).post('/requests', body);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ message: 'Request Entity Too Large' });
  });

  it('sends SigV4-signed calls to the REST API, which refuses unknown keys and resources with 403', async () => {
    const signer = new SignatureV4({
      service: 'execute-api',
      region: inject('region'),
      sha256: Sha256,
      credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'not-a-real-secret' },
    });
    const url = new URL(apiUrl);
    const signedGet = async (path: string) => {
      const signed = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host } }));
      const response = await fetch(`${apiUrl}${path}`, { headers: signed.headers });
      return { status: response.status, body: await response.json() };
    };
    expect(await signedGet('/me')).toEqual({ status: 403, body: { message: 'The security token included in the request is invalid.' } });
    expect(await signedGet('/no/such/resource')).toEqual({ status: 403, body: { message: 'Missing Authentication Token' } });
  });
});

describe('local stack: binds 127.0.0.1 only', () => {
  const listeners = (): URL[] => [apiUrl, inject('issuer'), inject('dynamodbEndpoint'), inject('stsUrl')].filter((u): u is string => !!u).map((u) => new URL(u));

  it('advertises loopback URLs only', () => {
    for (const url of listeners()) expect(url.hostname).toBe('127.0.0.1');
  });

  it('listens on no other interface', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const url of listeners()) {
      for (const address of external) expect(await reachable(address, Number(url.port)), `${address}:${url.port}`).toBe(false);
      // Linux tells us directly: every listening socket on the port is bound to 127.0.0.1.
      const bound = listeningAddresses(Number(url.port));
      if (bound) expect(bound.length > 0 && bound.every((a) => a === '0100007F' || a === '0000000000000000FFFF00000100007F'), `${url.port}: ${bound.join(',')}`).toBe(true);
    }
  });
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

/** Hex local addresses of LISTEN sockets on `port` from /proc/net/tcp{,6}; undefined off Linux. */
function listeningAddresses(port: number): string[] | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, portHex] = (local ?? '').split(':');
      if (state === '0A' && portHex === hexPort && address) found.push(address);
    }
  }
  return found;
}
