import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { allRoles } from '#shared/kernel/principal';

// The development issuer's authorization code flow with PKCE (RFC 6749 §4.1,
// RFC 7636 S256 only, RFC 8252 loopback redirects), plus rotating refresh
// tokens. What a real IdP checks is checked here too, so a client that works
// against it is not relying on leniency: codes are single-use and short-lived,
// the redirect URI must be a loopback IP literal and match at the token
// endpoint, the verifier must hash to the challenge, and a code presented twice
// revokes the refresh token it produced. Everything lives in memory: a restart
// of the stack forgets codes and refresh tokens (access tokens stay valid:
// they are signed with the key in <home>).

export const CODE_TTL_MS = 60_000;
export const REFRESH_TTL_MS = 8 * 3600_000;
export const MAX_TTL_SECONDS = 24 * 3600;

export interface LoginClaims {
  sub: string;
  tenant: string;
  roles: string[];
  groups: string[];
  name?: string;
  ttlSeconds?: number;
  /** When the person signed in (seconds) and how (RFC 8176 `amr`): the `auth_time` and `amr` claims step-up rules read. */
  authTime?: number;
  amr?: string[];
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state?: string;
  scope: string;
  nonce?: string;
  /** OIDC Core §3.1.2.1. This issuer keeps no sessions, so every sign-in is fresh: `login` and any `max_age` always hold. */
  prompt?: string;
  maxAge?: number;
  /** `mfa` among them makes the login page insist on the second-factor box. */
  acrValues?: string;
}

export interface TokenResponse {
  access_token: string;
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

/** An OAuth error: `error` is the RFC 6749 code the client sees. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'unsupported_response_type' | 'invalid_scope' | 'login_required',
    message: string,
  ) {
    super(message);
  }
}

/** Mints a signed token for the login's claims, with `aud` = the client. */
export type Mint = (claims: LoginClaims, audience: string, extra: Record<string, unknown>) => Promise<string>;

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BOUNDED = (value: string | undefined, max: number) => value === undefined || value.length <= max;

export const challengeOf = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** RFC 8252 §7.3: http, a loopback IP literal (not `localhost`), any port, no fragment. */
export function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]') && url.port !== '' && url.hash === '' && url.username === '' && url.password === '';
}

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The authorization request's parameters, checked before any login is shown. */
export function parseAuthorizationRequest(params: URLSearchParams): AuthorizationRequest {
  const get = (name: string) => params.get(name) ?? undefined;
  const clientId = get('client_id');
  const redirectUri = get('redirect_uri');
  if (!clientId || !CLIENT_ID.test(clientId)) throw new OAuthError('invalid_request', 'client_id is missing or malformed');
  if (!redirectUri || !isLoopbackRedirect(redirectUri)) {
    throw new OAuthError('invalid_request', 'redirect_uri must be http://127.0.0.1:PORT/… or http://[::1]:PORT/… (a loopback redirect, RFC 8252)');
  }
  if (get('response_type') !== 'code') throw new OAuthError('unsupported_response_type', 'response_type must be code');
  const codeChallenge = get('code_challenge');
  if (get('code_challenge_method') !== 'S256' || !codeChallenge || !CHALLENGE.test(codeChallenge)) {
    throw new OAuthError('invalid_request', 'PKCE is required: code_challenge (base64url SHA-256, 43 characters) with code_challenge_method=S256');
  }
  const scope = get('scope') ?? 'openid';
  if (!scope.split(' ').includes('openid')) throw new OAuthError('invalid_scope', 'scope must include openid');
  const state = get('state');
  const nonce = get('nonce');
  if (!BOUNDED(state, 512) || !BOUNDED(nonce, 512) || !BOUNDED(scope, 512)) throw new OAuthError('invalid_request', 'state, nonce and scope are limited to 512 characters');
  const prompt = get('prompt');
  if (prompt !== undefined && !prompt.split(' ').every((p) => ['login', 'consent', 'select_account', 'none'].includes(p))) throw new OAuthError('invalid_request', 'prompt must be login, consent, select_account or none');
  if (prompt?.split(' ').includes('none')) throw new OAuthError('login_required', 'prompt=none: this issuer keeps no sessions, every sign-in is interactive');
  const maxAgeText = get('max_age');
  const maxAge = maxAgeText === undefined ? undefined : Number(maxAgeText);
  if (maxAge !== undefined && (!/^\d{1,9}$/.test(maxAgeText!) || !Number.isSafeInteger(maxAge))) throw new OAuthError('invalid_request', 'max_age must be a whole number of seconds');
  const acrValues = get('acr_values');
  if (!BOUNDED(acrValues, 256)) throw new OAuthError('invalid_request', 'acr_values is limited to 256 characters');
  return {
    clientId,
    redirectUri,
    codeChallenge,
    scope,
    ...(state === undefined ? {} : { state }),
    ...(nonce === undefined ? {} : { nonce }),
    ...(prompt === undefined ? {} : { prompt }),
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(acrValues === undefined ? {} : { acrValues }),
  };
}

/** Whether the authorization request asks for a second factor (`acr_values` naming `mfa`). */
export const asksMfa = (request: AuthorizationRequest) => (request.acrValues ?? '').split(' ').includes('mfa');

/**
 * The login form POSTed, as the sign-in it stands for: who (parseLogin), when (now: this
 * issuer keeps no sessions, so each sign-in is a fresh one and `prompt=login` / `max_age`
 * always hold) and how — `pwd`, plus `mfa` when the developer ticked the second-factor box.
 * A request asking for MFA (`acr_values=mfa`) is refused without it, as a real IdP would.
 */
export function signIn(request: AuthorizationRequest, form: URLSearchParams, nowMs: number): LoginClaims {
  const claims = parseLogin(form);
  const mfa = form.get('mfa') === 'on' || form.get('mfa') === '1';
  if (asksMfa(request) && !mfa) throw new OAuthError('invalid_request', 'this sign-in asks for a second factor (acr_values=mfa): tick "Signed in with a second factor"');
  return { ...claims, authTime: Math.floor(nowMs / 1000), amr: mfa ? ['pwd', 'mfa'] : ['pwd'] };
}

/** What the developer typed on the login page: who to be, in which tenant, with which roles. */
export function parseLogin(params: URLSearchParams): LoginClaims {
  const sub = (params.get('user') ?? '').trim();
  const tenant = (params.get('tenant') ?? '').trim();
  if (!/^[^\s]{1,256}$/.test(sub)) throw new OAuthError('invalid_request', 'user is required (no spaces, at most 256 characters)');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(tenant)) throw new OAuthError('invalid_request', 'tenant is required (letters, digits, _ . -)');
  const roles = list(params.get('roles') ?? undefined);
  const unknown = roles.filter((r) => !(allRoles as readonly string[]).includes(r));
  if (unknown.length > 0) throw new OAuthError('invalid_request', `unknown role(s): ${unknown.join(', ')} (known: ${allRoles.join(', ')})`);
  const groups = list(params.get('groups') ?? undefined);
  if (groups.some((g) => !/^[^\s]{1,128}$/.test(g))) throw new OAuthError('invalid_request', 'groups are comma-separated names without spaces');
  const name = params.get('name')?.trim();
  const ttlText = params.get('ttl')?.trim();
  const ttlSeconds = ttlText ? Number(ttlText) : undefined;
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)) {
    throw new OAuthError('invalid_request', `ttl must be a whole number of seconds between 1 and ${MAX_TTL_SECONDS}`);
  }
  return { sub, tenant, roles, groups, ...(name ? { name: name.slice(0, 256) } : {}), ...(ttlSeconds === undefined ? {} : { ttlSeconds }) };
}

interface IssuedCode {
  request: AuthorizationRequest;
  claims: LoginClaims;
  expiresAt: number;
  used: boolean;
  /** The refresh tokens descended from this code: revoked if the code is replayed. */
  family: string;
}

interface RefreshGrant {
  clientId: string;
  claims: LoginClaims;
  scope: string;
  family: string;
  expiresAt: number;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class CodeFlow {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly mint: Mint,
    private readonly now: () => number = Date.now,
  ) {}

  /** After the login: a one-time code and the URL the browser is sent back to. */
  issueCode(request: AuthorizationRequest, claims: LoginClaims): { code: string; location: string } {
    this.sweep();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { request, claims, expiresAt: this.now() + CODE_TTL_MS, used: false, family: randomBytes(16).toString('hex') });
    const location = new URL(request.redirectUri);
    location.searchParams.set('code', code);
    if (request.state !== undefined) location.searchParams.set('state', request.state);
    return { code, location: location.toString() };
  }

  /** The token endpoint: `grant_type=authorization_code` or `refresh_token`, form-encoded. */
  async token(form: URLSearchParams): Promise<TokenResponse> {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(form);
    if (grantType === 'refresh_token') return this.refresh(form);
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  private async exchangeCode(form: URLSearchParams): Promise<TokenResponse> {
    const code = form.get('code') ?? '';
    const verifier = form.get('code_verifier') ?? '';
    const issued = this.codes.get(code);
    if (!issued || issued.expiresAt <= this.now()) throw new OAuthError('invalid_grant', 'the code is unknown or expired');
    if (issued.used) {
      // RFC 6749 §4.1.2: a replayed code revokes what it produced.
      this.revokeFamily(issued.family);
      throw new OAuthError('invalid_grant', 'the code was already used; the tokens it produced are revoked');
    }
    if (form.get('client_id') !== issued.request.clientId) throw new OAuthError('invalid_grant', 'client_id does not match the authorization request');
    if (form.get('redirect_uri') !== issued.request.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
    if (!VERIFIER.test(verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43–128 characters of [A-Za-z0-9-._~]');
    // A wrong verifier burns the code too: whoever holds it without the verifier gets no second try.
    issued.used = true;
    if (!sameText(challengeOf(verifier), issued.request.codeChallenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    return this.tokens(issued.request.clientId, issued.claims, issued.request.scope, issued.family, issued.request.nonce);
  }

  private async refresh(form: URLSearchParams): Promise<TokenResponse> {
    const presented = form.get('refresh_token') ?? '';
    const grant = this.refreshTokens.get(presented);
    if (!grant || grant.expiresAt <= this.now()) throw new OAuthError('invalid_grant', 'the refresh token is unknown, expired or revoked');
    if (form.get('client_id') !== grant.clientId) throw new OAuthError('invalid_grant', 'client_id does not match the refresh token');
    // Rotation: each refresh token works once.
    this.refreshTokens.delete(presented);
    return this.tokens(grant.clientId, grant.claims, grant.scope, grant.family);
  }

  private async tokens(clientId: string, claims: LoginClaims, scope: string, family: string, nonce?: string): Promise<TokenResponse> {
    // A jti per token, as real IdPs issue: two tokens minted in the same second still differ.
    // A refresh keeps the sign-in's auth_time and amr: refreshing is not signing in again (OIDC Core §12.2).
    const signedIn = { ...(claims.authTime === undefined ? {} : { auth_time: claims.authTime }), ...(claims.amr === undefined ? {} : { amr: claims.amr }) };
    const accessToken = await this.mint(claims, clientId, { scope, jti: randomUUID(), ...signedIn });
    const idToken = await this.mint(claims, clientId, { jti: randomUUID(), ...signedIn, ...(nonce === undefined ? {} : { nonce }) });
    const response: TokenResponse = {
      access_token: accessToken,
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: claims.ttlSeconds ?? 3600,
      scope,
    };
    if (scope.split(' ').includes('offline_access')) {
      const refreshToken = randomBytes(32).toString('base64url');
      this.refreshTokens.set(refreshToken, { clientId, claims, scope, family, expiresAt: this.now() + REFRESH_TTL_MS });
      response.refresh_token = refreshToken;
    }
    return response;
  }

  private revokeFamily(family: string): void {
    for (const [token, grant] of this.refreshTokens) if (grant.family === family) this.refreshTokens.delete(token);
  }

  private sweep(): void {
    const now = this.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt + REFRESH_TTL_MS <= now) this.codes.delete(code);
    for (const [token, grant] of this.refreshTokens) if (grant.expiresAt <= now) this.refreshTokens.delete(token);
  }
}
