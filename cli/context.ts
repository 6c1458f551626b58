import { LatchkeyApi } from './api.ts';
import { bearerToken } from './auth.ts';
import { CliError, ExitCode } from './errors.ts';
import { canOpenBrowser, DEFAULT_SCOPE, login, stepUpParameters } from './login.ts';
import { readLocalStack, type LocalStack } from './local-stack.ts';
import { createOutput, useColor, type Output } from './output.ts';
import { TokenCache } from './token-cache.ts';

// What every command runs with: which API, which identity provider, which
// token, and how to speak. Each setting: flag, then environment, then the last
// login, then the local stack (<home>/stack.json), so `latchkey whoami` works
// with `npm start` running and nothing configured.

export interface GlobalOptions {
  apiUrl?: string;
  token?: string;
  issuer?: string;
  clientId?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
}

export interface Context {
  apiUrl: string;
  issuer?: string;
  clientId: string;
  /** The local stack, when apiUrl is its API: dev tunnel, local CA, nss_wrapper for clients. */
  local?: LocalStack;
  /** Whether the bearer token came from --token / LATCHKEY_TOKEN (then login state is not touched). */
  explicitToken: boolean;
  cache: TokenCache;
  api: LatchkeyApi;
  out: Output;
  env: NodeJS.ProcessEnv;
  verbose: boolean;
}

export const DEFAULT_CLIENT_ID = 'latchkey';
const STEP_UP_TIMEOUT_MS = 5 * 60_000;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function createContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const out = createOutput({ json: options.json === true, color: useColor(process.stdout, env, options.color !== false) });
  const cache = new TokenCache();
  const stack = readLocalStack(env);
  const given = options.apiUrl ?? nonEmpty(env.LATCHKEY_API_URL) ?? cache.current() ?? stack?.apiUrl;
  if (!given) {
    throw new CliError('no Latchkey API to talk to', ExitCode.usage, 'pass --api-url or set LATCHKEY_API_URL (or start the local stack: npm start)');
  }
  const apiUrl = trimSlash(given);
  const local = stack && trimSlash(stack.apiUrl) === apiUrl ? stack : undefined;
  const session = cache.get(apiUrl);
  const issuer = options.issuer ?? nonEmpty(env.LATCHKEY_ISSUER) ?? session?.issuer ?? local?.issuer;
  const clientId = options.clientId ?? nonEmpty(env.LATCHKEY_CLIENT_ID) ?? session?.clientId ?? local?.audience ?? DEFAULT_CLIENT_ID;
  const explicit = options.token ?? nonEmpty(env.LATCHKEY_TOKEN);
  const verbose = options.verbose === true;
  const token = bearerToken({ apiUrl, cache, ...(explicit === undefined ? {} : { explicit }) });
  // A policy wanting a fresh (or MFA) sign-in: sign in again through the browser, with what it asks, and retry.
  // Not for --token / LATCHKEY_TOKEN: a script's token is the script's to renew (the 401 says so).
  const stepUp = async (details: unknown) => {
    out.note("The target's policy asks for a fresh sign-in for this; signing in again.");
    const session = await login({
      apiUrl,
      issuer: issuer!,
      clientId,
      scope: DEFAULT_SCOPE,
      port: 0,
      openBrowser: canOpenBrowser(env, process.stderr.isTTY === true),
      timeoutMs: STEP_UP_TIMEOUT_MS,
      say: (text) => out.note(text),
      status: (text) => out.status(text),
      authorize: stepUpParameters(details),
    });
    cache.save(session);
    token.forget();
  };
  const api = new LatchkeyApi({
    baseUrl: apiUrl,
    token,
    ...(explicit === undefined && issuer ? { stepUp } : {}),
    ...(verbose ? { log: (line: string) => out.note(out.colors.dim(line)) } : {}),
  });
  return { apiUrl, clientId, cache, api, out, env, verbose, explicitToken: explicit !== undefined, ...(issuer ? { issuer } : {}), ...(local ? { local } : {}) };
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
