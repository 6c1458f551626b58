import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALGORITHM } from './signing-key.ts';
import { mintToken, signingKeyFor } from './mint-token.ts';
import { CodeFlow, OAuthError, parseAuthorizationRequest, signIn, type AuthorizationRequest } from './code-flow.ts';
import { loginPage, errorPage } from './login-page.ts';

// The development OIDC issuer, on its own 127.0.0.1 listener rather than under
// a path of the local API: in AWS the issuer is a separate service that API
// Gateway reaches over HTTP, and keeping it separate lets the local API stay a
// faithful API Gateway (unknown paths there are 404s, nothing else).
// Serves discovery, the JWKS, and the authorization code flow with PKCE
// (dev/oidc/code-flow.ts) that `latchkey login` uses: GET /authorize shows a
// login page where the developer says who to be, POST /authorize sends the
// browser back to the loopback redirect with a code, POST /token exchanges it.
// Tokens can also be minted offline by `npm run token` or tests/support/tokens.ts
// with the same key.

export interface OidcIssuer {
  issuer: string;
  port: number;
  close(): Promise<void>;
}

const MAX_FORM_BYTES = 16 * 1024;

export async function startOidcIssuer(options: { home: string; port?: number }): Promise<OidcIssuer> {
  const key = await signingKeyFor(options.home);
  let issuer = '';
  let port = 0;
  const flow = new CodeFlow((claims, audience, extra) =>
    mintToken({
      home: options.home,
      issuer,
      audience,
      sub: claims.sub,
      tenant: claims.tenant,
      roles: claims.roles,
      groups: claims.groups,
      ...(claims.name === undefined ? {} : { name: claims.name }),
      ...(claims.ttlSeconds === undefined ? {} : { ttlSeconds: claims.ttlSeconds }),
      claims: extra,
    }),
  );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    // Only ever for this machine: a page elsewhere whose name resolves here (DNS rebinding) is refused.
    if (!isLocalHost(req.headers.host, port)) return send(res, 421, { error: 'misdirected_request', message: 'the development issuer answers only for 127.0.0.1' });
    const method = req.method ?? 'GET';
    if (path === '/.well-known/openid-configuration' && (method === 'GET' || method === 'HEAD')) {
      return send(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid', 'offline_access'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [ALGORITHM],
        claims_supported: ['iss', 'aud', 'sub', 'iat', 'nbf', 'exp', 'auth_time', 'amr', 'tenant', 'roles', 'groups', 'name'],
        acr_values_supported: ['mfa'],
      });
    }
    if (path === '/.well-known/jwks.json' && (method === 'GET' || method === 'HEAD')) return send(res, 200, { keys: [key.publicJwk] });
    if (path === '/authorize' && method === 'GET') return authorizeGet(url.searchParams, res);
    if (path === '/authorize' && method === 'POST') return authorizePost(await readForm(req), res);
    if (path === '/token' && method === 'POST') return tokenPost(req, res);
    if (['/authorize', '/token', '/.well-known/openid-configuration', '/.well-known/jwks.json'].includes(path)) return send(res, 405, { error: 'method_not_allowed' });
    return send(res, 404, { error: 'not_found' });
  };

  const authorizeGet = (params: URLSearchParams, res: ServerResponse) => {
    let request: AuthorizationRequest;
    try {
      request = parseAuthorizationRequest(params);
    } catch (error) {
      if (error instanceof OAuthError) return html(res, 400, errorPage(error));
      throw error;
    }
    return html(res, 200, loginPage(request, params));
  };

  const authorizePost = (form: URLSearchParams, res: ServerResponse) => {
    let request: AuthorizationRequest;
    try {
      request = parseAuthorizationRequest(form);
    } catch (error) {
      if (error instanceof OAuthError) return html(res, 400, errorPage(error));
      throw error;
    }
    try {
      const { location } = flow.issueCode(request, signIn(request, form, Date.now()));
      res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0 });
      res.end();
      return;
    } catch (error) {
      // A login the developer mistyped: the same page again, with what was wrong.
      if (error instanceof OAuthError) return html(res, 400, loginPage(request, form, error.message));
      throw error;
    }
  };

  const tokenPost = async (req: IncomingMessage, res: ServerResponse) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, { error: 'invalid_request', error_description: 'the token request must be application/x-www-form-urlencoded' });
    }
    try {
      return send(res, 200, await flow.token(await readForm(req)), { 'cache-control': 'no-store', pragma: 'no-cache' });
    } catch (error) {
      if (error instanceof OAuthError) return send(res, 400, { error: error.error, error_description: error.message });
      throw error;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof FormTooLargeError) return send(res, 413, { error: 'invalid_request', error_description: error.message });
      process.stderr.write(`oidc issuer: ${(error as Error).message}\n`);
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  ({ port } = server.address() as AddressInfo);
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

class FormTooLargeError extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormTooLargeError(`form over ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function isLocalHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function html(res: ServerResponse, status: number, page: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    'cache-control': 'no-store',
    // No form-action: browsers apply it to the redirect after the POST, which goes to the loopback port.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-frame-options': 'DENY',
  });
  res.end(page);
}
