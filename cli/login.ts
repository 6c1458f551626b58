import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discover, sessionFrom, tokenRequest } from './auth.ts';
import { CliError, ExitCode } from './errors.ts';
import { challengeFor, createState, createVerifier } from './pkce.ts';
import type { Session } from './token-cache.ts';

// `latchkey login`: the OAuth 2.0 authorization code flow with PKCE for a
// native app (RFC 8252). A one-shot HTTP listener on 127.0.0.1 receives the
// redirect; the browser is opened when there is one, and the URL is printed
// either way (it holds no secret: the verifier never leaves this process).

/** The scopes `latchkey login` asks for unless told otherwise (offline_access: a refresh token). */
export const DEFAULT_SCOPE = 'openid offline_access';

/**
 * The authorization parameters a 401 step_up_required names in `details.authorize`
 * (prompt, max_age, acr_values), as strings; anything else in it is ignored.
 */
export function stepUpParameters(details: unknown): Record<string, string> {
  const given = (details as { authorize?: Record<string, unknown> } | undefined)?.authorize ?? {};
  const wanted: Record<string, string> = { prompt: 'login' };
  for (const name of ['prompt', 'max_age', 'acr_values']) {
    const value = given[name];
    if (typeof value === 'string' || typeof value === 'number') wanted[name] = String(value);
  }
  return wanted;
}

export interface LoginOptions {
  apiUrl: string;
  issuer: string;
  clientId: string;
  scope: string;
  /** 0 = any free port (the IdP must accept any loopback port, as RFC 8252 §7.3 asks). */
  port: number;
  openBrowser: boolean;
  timeoutMs: number;
  /** Where the URL is shown. */
  say: (text: string) => void;
  /** A live line while the browser is away. */
  status?: (text: string) => { done(text: string): void; fail(text: string): void };
  /** Extra authorization parameters: a step-up's `prompt`, `max_age`, `acr_values` (OIDC Core §3.1.2.1). */
  authorize?: Record<string, string>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

export async function login(options: LoginOptions): Promise<Session> {
  const endpoints = await discover(options.issuer);
  const verifier = createVerifier();
  const state = createState();

  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const received = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, title: string, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE(title, text));
    };
    if (url.pathname !== '/callback') return reply(404, 'Not found', 'This is the latchkey CLI waiting for its sign-in redirect.');
    if (url.searchParams.get('state') !== state) {
      // Not the redirect of this login (a stale tab, or a page trying to plant its own code): ignored, keep waiting.
      return reply(400, 'Sign-in not accepted', 'This redirect does not belong to the running latchkey login.');
    }
    const error = url.searchParams.get('error');
    if (error) {
      reply(400, 'Sign-in failed', 'The identity provider refused the sign-in; see the terminal.');
      return settle.reject(new CliError(`the identity provider refused the sign-in: ${error}${url.searchParams.get('error_description') ? ` (${url.searchParams.get('error_description')})` : ''}`, ExitCode.notSignedIn));
    }
    const code = url.searchParams.get('code');
    if (!code) return reply(400, 'Sign-in failed', 'The redirect carried no code.');
    reply(200, 'Signed in', 'You can close this tab and return to the terminal.');
    settle.resolve(code);
  });
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;

  const authorize = new URL(endpoints.authorization_endpoint);
  for (const [key, value] of Object.entries({
    ...options.authorize,
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: redirectUri,
    scope: options.scope,
    state,
    code_challenge: challengeFor(verifier),
    code_challenge_method: 'S256',
  })) authorize.searchParams.set(key, value);

  const timer = setTimeout(() => settle.reject(new CliError(`no sign-in within ${Math.round(options.timeoutMs / 1000)} s`, ExitCode.timedOut)), options.timeoutMs);
  try {
    options.say(`Open this URL to sign in:\n\n  ${authorize.toString()}\n`);
    if (options.openBrowser) openBrowser(authorize.toString());
    const line = options.status?.('Waiting for the sign-in in your browser…');
    const code = await received.catch((error: unknown) => {
      line?.fail('Not signed in');
      throw error;
    });
    line?.done('Signed in at the identity provider');
    const now = new Date();
    const tokens = await tokenRequest(endpoints.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: options.clientId,
      code_verifier: verifier,
    });
    return sessionFrom(tokens, { apiUrl: options.apiUrl, issuer: options.issuer, clientId: options.clientId, tokenEndpoint: endpoints.token_endpoint }, now);
  } finally {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
}

/** Best effort: a desktop's opener, detached; the printed URL is the fallback. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener: the URL is on the screen
  }
}

/** Whether opening a browser can work here: a terminal, and a desktop session on Linux. */
export function canOpenBrowser(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!isTTY) return false;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
