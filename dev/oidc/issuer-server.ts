import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALGORITHM } from './signing-key.ts';
import { signingKeyFor } from './mint-token.ts';

// The development OIDC issuer, on its own 127.0.0.1 listener rather than under
// a path of the local API: in AWS the issuer is a separate service that API
// Gateway reaches over HTTP, and keeping it separate lets the local API stay a
// faithful API Gateway (unknown paths there are 404s, nothing else).
// Serves discovery and the JWKS only; tokens are minted offline by
// `npm run token` or tests/support/tokens.ts with the same key.

export interface OidcIssuer {
  issuer: string;
  port: number;
  close(): Promise<void>;
}

export async function startOidcIssuer(options: { home: string; port?: number }): Promise<OidcIssuer> {
  const key = await signingKeyFor(options.home);
  let issuer = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method_not_allowed' });
    if (path === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [ALGORITHM],
        claims_supported: ['iss', 'aud', 'sub', 'iat', 'nbf', 'exp', 'tenant', 'roles', 'groups', 'name'],
      });
    }
    if (path === '/.well-known/jwks.json') return send(res, 200, { keys: [key.publicJwk] });
    return send(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
