import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { ensureHome } from '../paths.ts';

// The development issuer's RS256 key, generated once per home and kept as a
// private JWK in <home>/oidc-key.json (mode 0600), so tokens minted by
// `npm run token` stay valid across restarts of `npm start`.

export const KEY_FILE = 'oidc-key.json';
export const ALGORITHM = 'RS256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** What the JWKS endpoint publishes: the public half only. */
  publicJwk: JWK;
}

export async function loadOrCreateSigningKey(home: string): Promise<SigningKey> {
  const path = join(ensureHome(home), KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return fromJwk(existing, path);
  const created = await generateJwk();
  try {
    // `wx`: if the stack and the token CLI race to create the key, one wins and
    // the other reads the winner's key instead of overwriting it.
    await writeFile(path, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return fromJwk(created, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (!winner) throw new Error(`${path} appeared but could not be read`, { cause: error });
    return fromJwk(winner, path);
  }
}

async function readKeyFile(path: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A private key readable by others is tightened rather than trusted as-is.
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return JSON.parse(text) as JWK;
}

async function generateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e });
  return { ...jwk, kid, alg: ALGORITHM, use: 'sig' };
}

async function fromJwk(jwk: JWK, path: string): Promise<SigningKey> {
  if (jwk.kty !== 'RSA' || !jwk.d || !jwk.n || !jwk.e || !jwk.kid) {
    throw new Error(`${path} is not an RSA private JWK with a kid; delete it to generate a new key`);
  }
  const privateKey = (await importJWK(jwk, ALGORITHM)) as CryptoKey;
  return { kid: jwk.kid, privateKey, publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwk.kid, alg: ALGORITHM, use: 'sig' } };
}
