import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServerCertificate } from './local-ca.ts';
import { runClient, runClientOk } from './run-client.ts';
import { startServer, stopLeftover, type ServerProcess } from './server-process.ts';
import { installCertificate, ownedDirs } from './server-files.ts';
import { systemUser } from './system-user.ts';

// Debian's PostgreSQL 15 as RDS for PostgreSQL with IAM authentication: TLS
// only (hostssl), every login judged by PAM (pam-check.ts), and the admin
// reaching it over a unix socket only it can open. `rds_iam` exists as a role
// because the emitted SQL grants it, as on RDS.

const execFileAsync = promisify(execFile);

export interface PostgresAdmin {
  /** Unix socket folder (mode 0700, the postgres user's): `psql -h <socketDir> -p <port> -U postgres`. */
  socketDir: string;
  port: number;
  user: 'postgres';
}

export interface PostgresOptions {
  dir: string;
  port: number;
  cert: ServerCertificate;
  pamService: string;
  /** Data that need not survive a crash (in-memory stacks): skip fsync. */
  throwaway: boolean;
}

const BIN = binDir();

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))) : [];
  // Debian 12 ships 15; take the newest server installed.
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(root, newest, 'bin') : '';
}

export async function startPostgres(o: PostgresOptions): Promise<{ server: ServerProcess; admin: PostgresAdmin }> {
  if (!BIN) throw new Error('PostgreSQL server not installed: run bash scripts/ensure-databases.sh');
  const user = systemUser('postgres');
  const data = join(o.dir, 'data');
  const socketDir = join(o.dir, 'run');
  ownedDirs(user, o.dir, socketDir);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    // Asynchronous: MariaDB and DynamoDB Local start meanwhile.
    await execFileAsync(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], { uid: user.uid, gid: user.gid });
  }
  await stopLeftover(join(data, 'postmaster.pid'), 'postgres');

  const { cert, key } = installCertificate(o.dir, o.cert, user);
  const hba = join(o.dir, 'pg_hba.conf');
  writeFileSync(
    hba,
    [
      '# Written by dev/databases/postgres.ts at every start.',
      '# The bootstrap, over the unix socket in run/ (mode 0700): only root and postgres can open it.',
      'local all postgres trust',
      '# Everyone else: TLS on 127.0.0.1, the password judged as an RDS IAM token. No other line, so no plain TCP.',
      `hostssl all all 127.0.0.1/32 pam pamservice=${o.pamService}`,
      '',
    ].join('\n'),
  );
  chownSync(hba, user.uid, user.gid);

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(o.port),
    unix_socket_directories: socketDir,
    hba_file: hba,
    ssl: 'on',
    ssl_cert_file: cert,
    ssl_key_file: key,
    max_connections: '40',
    shared_buffers: '16MB',
    log_connections: 'on',
    ...(o.throwaway ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const admin: PostgresAdmin = { socketDir, port: o.port, user: 'postgres' };
  const server = await startServer({
    name: 'PostgreSQL',
    command: join(BIN, 'postgres'),
    args: ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    user,
    stopSignal: 'SIGINT',
    logFile: join(o.dir, 'server.log'),
    probe: async () => (await runClient('psql', adminArgs(admin, ['-c', 'select 1']), { timeoutMs: 2_000 })).code === 0,
  });
  await postgresSql(admin, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$;");
  return { server, admin };
}

const adminArgs = (a: PostgresAdmin, extra: string[]) => ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', a.socketDir, '-p', String(a.port), '-U', a.user, '-d', 'postgres', ...extra];

/** Runs SQL as the superuser; the SQL goes on stdin. */
export function postgresSql(admin: PostgresAdmin, sql: string): Promise<string> {
  return runClientOk('psql', adminArgs(admin, []), { input: sql });
}
