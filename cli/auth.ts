import { CliError, ExitCode } from './errors.ts';
import type { Session, TokenCache } from './token-cache.ts';

// Bearer tokens for the API: `--token` / LATCHKEY_TOKEN as given (scripts),
// else the cached login, refreshed with its refresh token (RFC 6749 §6) when
// it has less than a minute left, else a clear "sign in again".

export const REFRESH_MARGIN_MS = 60_000;

export interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

export async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new CliError(`cannot reach the identity provider at ${issuer} (${((error as { cause?: { code?: string } }).cause?.code) ?? (error as Error).message})`, ExitCode.unavailable);
  }
  if (!response.ok) throw new CliError(`the identity provider's discovery document (${url}) answered ${response.status}`, ExitCode.unavailable);
  const document = (await response.json()) as Partial<Discovery>;
  if (typeof document.authorization_endpoint !== 'string' || typeof document.token_endpoint !== 'string') {
    throw new CliError(`${url} names no authorization_endpoint and token_endpoint: the identity provider does not offer the authorization code flow`, ExitCode.failure);
  }
  return { authorization_endpoint: document.authorization_endpoint, token_endpoint: document.token_endpoint };
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  id_token?: string;
}

/** POSTs a form to the token endpoint; the IdP's `{ error, error_description }` becomes the message. */
export async function tokenRequest(tokenEndpoint: string, form: Record<string, string>): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (error) {
    throw new CliError(`cannot reach the token endpoint ${tokenEndpoint} (${((error as { cause?: { code?: string } }).cause?.code) ?? (error as Error).message})`, ExitCode.unavailable);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<TokenSet> & { error?: string; error_description?: string };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new CliError(`the identity provider refused the token request: ${body.error ?? response.status}${body.error_description ? ` (${body.error_description})` : ''}`, ExitCode.notSignedIn);
  }
  return body as TokenSet;
}

/** The claims of a JWT, read without verifying it (the API verifies; this is for display and expiry). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function sessionFrom(tokens: TokenSet, base: Omit<Session, 'accessToken' | 'refreshToken' | 'expiresAt' | 'subject' | 'tenant'>, now: Date, previousRefresh?: string): Session {
  const claims = jwtClaims(tokens.access_token);
  const expSeconds = typeof claims.exp === 'number' ? claims.exp : undefined;
  const expiresAt = new Date(tokens.expires_in !== undefined ? now.getTime() + tokens.expires_in * 1000 : expSeconds !== undefined ? expSeconds * 1000 : now.getTime() + 3600_000);
  const refreshToken = tokens.refresh_token ?? previousRefresh;
  return {
    ...base,
    accessToken: tokens.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: expiresAt.toISOString(),
    ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
    ...(typeof claims.tenant === 'string' ? { tenant: claims.tenant } : {}),
  };
}

const notSignedIn = (apiUrl: string, why: string) =>
  new CliError(`${why} for ${apiUrl}`, ExitCode.notSignedIn, 'run `latchkey login` (scripts: set LATCHKEY_TOKEN)');

/** What each API call uses as its bearer token; `forget()` makes the next call read the cache again (after a new login). */
export function bearerToken(options: { apiUrl: string; explicit?: string; cache: TokenCache; now?: () => Date }): (() => Promise<string>) & { forget(): void } {
  const now = options.now ?? (() => new Date());
  let current: Promise<Session> | undefined;
  const fresh = (session: Session) => Date.parse(session.expiresAt) - now().getTime() > REFRESH_MARGIN_MS;
  const load = async (): Promise<Session> => {
    const session = options.cache.get(options.apiUrl);
    if (!session) throw notSignedIn(options.apiUrl, 'not signed in');
    if (fresh(session)) return session;
    if (!session.refreshToken) throw notSignedIn(options.apiUrl, 'your login has expired');
    let tokens: TokenSet;
    try {
      tokens = await tokenRequest(session.tokenEndpoint, { grant_type: 'refresh_token', refresh_token: session.refreshToken, client_id: session.clientId });
    } catch (error) {
      if (error instanceof CliError && error.exitCode === ExitCode.notSignedIn) throw notSignedIn(options.apiUrl, 'your login has expired and could not be refreshed');
      throw error;
    }
    const refreshed = sessionFrom(tokens, session, now(), session.refreshToken);
    options.cache.save(refreshed);
    return refreshed;
  };
  const token = async () => {
    if (options.explicit !== undefined) return options.explicit;
    // One load (and at most one refresh) at a time; a session about to expire is loaded again.
    if (current) {
      const held = await current.catch(() => undefined);
      if (!held || !fresh(held)) current = undefined;
    }
    current ??= load();
    return (await current).accessToken;
  };
  return Object.assign(token, { forget: () => void (current = undefined) });
}
