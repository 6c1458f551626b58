import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, ExitCode } from './errors.ts';
import { cacheDir } from './paths.ts';

// The CA bundle TLS verify-full checks the database's certificate against.
// Locally: the stack's own CA (stack.json `caBundle`). Against AWS: the RDS
// global bundle, downloaded once into the cache dir and refreshed monthly
// (AWS adds CAs ahead of rotations).

export const RDS_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
const MAX_AGE_MS = 30 * 24 * 3600_000;

export async function caBundle(options: { localCa?: string; url?: string; env?: NodeJS.ProcessEnv; say?: (text: string) => void }): Promise<string> {
  if (options.localCa) return options.localCa;
  const url = options.url ?? RDS_CA_BUNDLE_URL;
  if (!url.startsWith('https://')) throw new CliError(`refusing to fetch a CA bundle over ${url.split(':')[0]}: ${url}`, ExitCode.failure);
  const dir = cacheDir(options.env);
  // One file per URL: a bundle another deployment named never anchors this one's TLS.
  const path = join(dir, `rds-ca-${createHash('sha256').update(url).digest('hex').slice(0, 16)}.pem`);
  try {
    if (Date.now() - statSync(path).mtimeMs < MAX_AGE_MS && isPemBundle(readFileSync(path, 'utf8'))) return path;
  } catch {
    // not cached yet
  }
  options.say?.(`Downloading the RDS CA bundle from ${url}`);
  let text: string;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new CliError(`cannot download the RDS CA bundle from ${url} (${(error as Error).message})`, ExitCode.unavailable);
  }
  if (!isPemBundle(text)) throw new CliError(`${url} did not return PEM certificates`, ExitCode.unavailable);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A temporary name of this process's own, created exclusively: two first connects at once do not collide.
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, text, { mode: 0o644, flag: 'wx' });
  renameSync(temporary, path);
  return path;
}

/** Every PEM block parses as an X.509 certificate, and there is at least one. */
function isPemBundle(text: string): boolean {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}
