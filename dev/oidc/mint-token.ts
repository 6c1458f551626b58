import { SignJWT } from 'jose';
import { resolveHome } from '../paths.ts';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, readStackFile } from '../stack-file.ts';
import { ALGORITHM, loadOrCreateSigningKey, type SigningKey } from './signing-key.ts';

// Tokens shaped like the ones Latchkey expects from a real IdP. Roles are
// plain strings on purpose: tests mint tokens with wrong roles to check that
// the handlers refuse them.

export interface MintOptions {
  sub: string;
  tenant: string;
  roles: readonly string[];
  groups?: readonly string[];
  name?: string;
  ttlSeconds?: number;
  audience?: string | string[];
  /** Defaults to the running stack's issuer (<home>/stack.json), else http://127.0.0.1:4481. */
  issuer?: string;
  /** Where the signing key lives; defaults to LATCHKEY_HOME or .latchkey in the repo. */
  home?: string;
  /** Issue time; tests move it into the past to mint expired tokens. */
  now?: Date;
  /** Extra or overriding claims, for tests of odd tokens. */
  claims?: Record<string, unknown>;
}

export const DEFAULT_TTL_SECONDS = 3600;

const keys = new Map<string, Promise<SigningKey>>();

export function signingKeyFor(home: string): Promise<SigningKey> {
  let key = keys.get(home);
  if (!key) {
    key = loadOrCreateSigningKey(home);
    keys.set(home, key);
    key.catch(() => keys.delete(home));
  }
  return key;
}

export async function mintToken(options: MintOptions): Promise<string> {
  const home = resolveHome(options.home);
  const key = await signingKeyFor(home);
  const issuer = options.issuer ?? readStackFile(home)?.issuer ?? DEFAULT_ISSUER;
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = {
    tenant: options.tenant,
    roles: [...options.roles],
    groups: [...(options.groups ?? [])],
    ...(options.name === undefined ? {} : { name: options.name }),
    iss: issuer,
    aud: options.audience ?? DEFAULT_AUDIENCE,
    sub: options.sub,
    iat,
    nbf: iat,
    exp: iat + (options.ttlSeconds ?? DEFAULT_TTL_SECONDS),
    ...options.claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}
