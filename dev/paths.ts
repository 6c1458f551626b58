import { mkdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: everything local resolves from here, not from the caller's cwd. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The folder that holds the local stack's state (signing key, DynamoDB files,
 * stack.json). `--home` wins, then LATCHKEY_HOME, then `.latchkey` in the repo,
 * so `npm start` and `npm run token` agree without being told twice.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = explicit ?? env.LATCHKEY_HOME;
  if (given === undefined) return resolve(repoRoot, '.latchkey');
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  return isAbsolute(given) ? given : resolve(env.INIT_CWD ?? process.cwd(), given);
}

/** Creates the home folder private to the user: it holds a signing key. */
export function ensureHome(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}
