import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inject } from 'vitest';
import { runClient, type ClientRun } from '../../dev/databases/run-client.ts';

// Runs the real psql / mariadb client the way a user runs what Latchkey prints:
// the printed command, unchanged apart from the query appended, in the folder
// where the local CA sits as global-bundle.pem, the token in $LATCHKEY_DB_TOKEN
// (never argv), and nss_wrapper resolving the RDS names to 127.0.0.1.

export type Engine = 'postgres' | 'mariadb';

const QUERY: Record<Engine, string> = {
  postgres: ` -X -A -t -c 'select current_user'`,
  mariadb: ` --batch --skip-column-names -e 'select current_user()'`,
};

export function runPrinted(engine: Engine, command: string, token: string): Promise<ClientRun> {
  // Only what a clean shell would have, plus the token and the resolver: no PGPASSWORD or MYSQL_PWD inherited.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...inject('clientEnv'), LATCHKEY_DB_TOKEN: token };
  return runClient('sh', ['-c', `${command}${QUERY[engine]}`], { env, cwd: dirname(inject('caBundle')), timeoutMs: 20_000 });
}

/**
 * What the query answered. MariaDB 10.11's client calls --enable-cleartext-plugin
 * (in the printed command, for MySQL's client) obsolete, on stdout.
 */
export const answer = (run: ClientRun) => run.stdout.split('\n').filter((l) => l && !l.startsWith('WARNING: ')).join('\n');

/** The server's PAM check writes one line per attempt: who, accepted or refused, and why. */
const verdicts = (engine: Engine): string[] => {
  try {
    return readFileSync(inject(engine).authLog, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

/** Runs the printed command and returns, with the client's output, the lines the server's check wrote meanwhile. */
export async function runJudged(engine: Engine, command: string, token: string): Promise<{ run: ClientRun; verdicts: string[] }> {
  const before = verdicts(engine).length;
  const run = await runPrinted(engine, command, token);
  return { run, verdicts: verdicts(engine).slice(before) };
}
