import { challengeFor, createState, createVerifier } from './pkce.ts';

// OIDC authorization code flow with PKCE for a browser app (RFC 6749 §4.1, RFC 7636, the
// OAuth 2.0 for Browser-Based Apps BCP). The redirect comes back to the console's own
// origin. Tokens live in memory only: a reload signs in again. What must survive the
// round trip to the issuer (state and verifier, which are not tokens) goes to
// sessionStorage and is removed when the redirect is handled.

export interface ConsoleConfig {
  issuer: string;
  clientId: string;
  apiBase: string;
}

export interface Tokens {
  accessToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
}

interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING = 'latchkey.sign-in';

/** What a step-up answer (401 step_up_required, `details.authorize`) asks the IdP for (OIDC Core §3.1.2.1). */
export interface StepUpParams {
  prompt?: string;
  max_age?: number;
  acr_values?: string;
}

/** The action a step-up interrupted, redone once when the stronger sign-in comes back as the same person (`by`). */
export type Resume = { action: 'approve'; requestId: string; note: string; by: string };

/** `details.authorize` of a step_up_required answer, or undefined when the error is another. */
export function stepUpOf(error: unknown): StepUpParams | undefined {
  const body = error as { error?: string; details?: { authorize?: Record<string, unknown> } } | undefined;
  if (body?.error !== 'step_up_required') return undefined;
  const a = body.details?.authorize ?? {};
  return {
    ...(typeof a.prompt === 'string' ? { prompt: a.prompt } : {}),
    ...(typeof a.max_age === 'number' ? { max_age: a.max_age } : {}),
    ...(typeof a.acr_values === 'string' ? { acr_values: a.acr_values } : {}),
  };
}

export class SignInError extends Error {}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new SignInError(`The console's configuration (/config.json) answered ${response.status}.`);
  return (await response.json()) as ConsoleConfig;
}

async function discover(issuer: string): Promise<Endpoints> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new SignInError(`The identity provider's discovery document answered ${response.status}.`);
  return (await response.json()) as Endpoints;
}

const redirectUri = () => `${location.origin}/`;

/**
 * Sends the browser to the issuer; comes back to the console with `?code=…&state=…`. A step-up
 * passes what the API asked for (`prompt`, `max_age`, `acr_values`) and the action to redo.
 */
export async function beginSignIn(config: ConsoleConfig, stepUp?: StepUpParams, resume?: Resume): Promise<void> {
  const endpoints = await discover(config.issuer);
  const verifier = createVerifier();
  const state = createState();
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, returnTo: location.hash, ...(resume ? { resume } : {}) }));
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge: await challengeFor(verifier),
    code_challenge_method: 'S256',
    ...(stepUp?.prompt ? { prompt: stepUp.prompt } : {}),
    ...(stepUp?.max_age !== undefined ? { max_age: String(stepUp.max_age) } : {}),
    ...(stepUp?.acr_values ? { acr_values: stepUp.acr_values } : {}),
  }).toString();
  location.assign(url.toString());
}

/** On the redirect back: trades the code for tokens, or answers undefined when this is no redirect. */
export async function completeSignIn(config: ConsoleConfig): Promise<{ tokens: Tokens; returnTo: string; resume?: Resume } | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { state: string; verifier: string; returnTo: string; resume?: Resume } | null;
  sessionStorage.removeItem(PENDING);
  // The code leaves the address bar (and history) at once.
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
  if (error) throw new SignInError(`The identity provider refused the sign-in: ${error}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}.`);
  if (!pending || params.get('state') !== pending.state) throw new SignInError('This sign-in redirect does not belong to this browser tab. Sign in again.');
  const endpoints = await discover(config.issuer);
  const response = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code ?? '', redirect_uri: redirectUri(), client_id: config.clientId, code_verifier: pending.verifier }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new SignInError(`The token exchange failed: ${body.error ?? response.status}${body.error_description ? ` (${body.error_description})` : ''}. Sign in again.`);
  return { tokens: { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 }, returnTo: pending.returnTo, ...(pending.resume ? { resume: pending.resume } : {}) };
}
