import { spawnSync } from 'node:child_process';
import type { Target } from './api.ts';
import { withoutSecrets } from './secret-env.ts';

// The database client `connect` runs, as an argv (no shell: nothing is parsed
// twice, nothing lands in shell history) and an environment. The token goes
// in a private password file named by PGPASSFILE (psql: libpq re-reads it at
// every connection, so `connect` can refresh it) or in MYSQL_PWD — never argv,
// which every user of the machine can read through `ps` — and the CLI's own
// bearer token (LATCHKEY_TOKEN) is not passed on.

export interface ClientPlan {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface ClientInput {
  engine: Target['engine'];
  /** The endpoint's name: what TLS verifies. */
  host: string;
  /** Where to dial: the endpoint's port, or the tunnel's local port. */
  port: number;
  /** Set when the endpoint's name does not lead to the dialled port (a tunnel on 127.0.0.1). */
  hostaddr?: string;
  user: string;
  database?: string;
  caBundle: string;
  /** mysql / mariadb: the token itself (MYSQL_PWD); psql: the password file that holds it (PGPASSFILE). */
  secret: { token: string } | { passfile: string };
  extraArgs: string[];
  /** The environment to start from (the CLI's own), and additions (nss_wrapper locally). */
  baseEnv: NodeJS.ProcessEnv;
  addEnv?: Record<string, string>;
  /**
   * The grant's tag (credentials' `database.sessionTag`) when its target ends sessions with the grant: set on the
   * connection as the printed command does, so that ending this grant ends this session and no other grant's.
   */
  sessionTag?: string;
  /** Whether the mysql-family binary is MariaDB's (it has no --ssl-mode). */
  isMariadbClient?: (binary: string) => boolean;
}

export function planClient(input: ClientInput): ClientPlan {
  const env = withoutSecrets({ ...input.baseEnv, ...input.addEnv });
  if (input.engine === 'postgres') {
    if (!('passfile' in input.secret)) throw new Error('psql takes the token from a password file');
    const conninfo = [
      `host=${input.host}`,
      ...(input.hostaddr ? [`hostaddr=${input.hostaddr}`] : []),
      `port=${input.port}`,
      `dbname=${input.database ?? 'postgres'}`,
      `user=${input.user}`,
      'sslmode=verify-full',
      `sslrootcert=${input.caBundle}`,
      ...(input.sessionTag ? [`application_name=${input.sessionTag}`] : []),
    ].map((pair) => pair.replace(/^(\w+)=(.*)$/, (_, k: string, v: string) => `${k}=${/[\s'\\]/.test(v) || v === '' ? `'${v.replace(/[\\']/g, '\\$&')}'` : v}`));
    return { command: 'psql', args: [conninfo.join(' '), ...input.extraArgs], env: { ...env, PGPASSFILE: input.secret.passfile } };
  }
  if (!('token' in input.secret)) throw new Error('the mysql client takes the token from MYSQL_PWD');
  const token = input.secret.token;
  const binary = input.engine === 'mariadb' && onPath('mariadb', env) ? 'mariadb' : 'mysql';
  const mariadb = binary === 'mariadb' || (input.isMariadbClient ?? isMariadbClient)(binary);
  const args = [
    `--host=${input.host}`,
    `--port=${input.port}`,
    `--user=${input.user}`,
    `--ssl-ca=${input.caBundle}`,
    // MariaDB's client checks the server's name only with --ssl-verify-server-cert (REAL-DATABASES.md).
    mariadb ? '--ssl-verify-server-cert' : '--ssl-mode=VERIFY_IDENTITY',
    // RDS IAM authentication takes the token as a cleartext password, over TLS only.
    ...(mariadb ? [] : ['--enable-cleartext-plugin']),
    ...(input.database ? [`--database=${input.database}`] : []),
    // The server-side variable Latchkey's control user reads (shared/minting/connection-info.ts, MYSQL_TAG_VARIABLE).
    ...(input.sessionTag ? [`--init-command=SET @latchkey_grant='${input.sessionTag}'`] : []),
    ...input.extraArgs,
  ];
  return { command: binary, args, env: { ...env, MYSQL_PWD: token } };
}

function onPath(binary: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { env, stdio: 'ignore' }).status === 0;
}

function isMariadbClient(binary: string): boolean {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return /mariadb/i.test(`${run.stdout ?? ''}`);
}
