import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the CLI keeps what it must remember: the login in the user's config
// dir (XDG), the downloaded RDS CA bundle in the cache dir.

/** The checkout this CLI runs from: the local stack's home and dev/bin are found from here. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const base = (env: NodeJS.ProcessEnv, variable: string, fallback: string) => {
  const given = env[variable];
  return given && isAbsolute(given) ? given : join(env.HOME ?? homedir(), fallback);
};

export const configDir = (env: NodeJS.ProcessEnv = process.env): string => join(base(env, 'XDG_CONFIG_HOME', '.config'), 'latchkey');
export const cacheDir = (env: NodeJS.ProcessEnv = process.env): string => join(base(env, 'XDG_CACHE_HOME', '.cache'), 'latchkey');

/** The local stack's home, as `npm start` resolves it: LATCHKEY_HOME, else `.latchkey` in the checkout. */
export function localStackHome(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.LATCHKEY_HOME;
  if (given === undefined || given === '') return resolve(repoRoot, '.latchkey');
  return isAbsolute(given) ? given : resolve(process.cwd(), given);
}
