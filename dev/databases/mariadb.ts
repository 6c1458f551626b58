import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServerCertificate } from './local-ca.ts';
import { runClient, runClientOk } from './run-client.ts';
import { startServer, stopLeftover, type ServerProcess } from './server-process.ts';
import { installCertificate, ownedDirs } from './server-files.ts';
import { systemUser } from './system-user.ts';

// Debian's MariaDB 10.11 as RDS for MariaDB with IAM authentication: TLS
// required for every TCP client, users authenticated by auth_pam with the
// cleartext plugin (what RDS's AWSAuthenticationPlugin asks the client for),
// and the admin reaching it over a unix socket as root (unix_socket auth).

const execFileAsync = promisify(execFile);

export interface MariadbAdmin {
  /** `mariadb --socket=<socket> -u root`, as the OS user root. */
  socket: string;
  user: 'root';
}

export interface MariadbOptions {
  dir: string;
  port: number;
  cert: ServerCertificate;
  throwaway: boolean;
}

export async function startMariadb(o: MariadbOptions): Promise<{ server: ServerProcess; admin: MariadbAdmin }> {
  if (!existsSync('/usr/sbin/mariadbd')) throw new Error('MariaDB server not installed: run bash scripts/ensure-databases.sh');
  const user = systemUser('mysql');
  const data = join(o.dir, 'data');
  const run = join(o.dir, 'run');
  ownedDirs(user, o.dir, run);
  if (!existsSync(join(data, 'mysql'))) {
    // Asynchronous: PostgreSQL and DynamoDB Local start meanwhile.
    await execFileAsync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=mysql', '--auth-root-authentication-method=socket', '--skip-test-db', '--skip-name-resolve']);
  }
  const pidFile = join(run, 'mariadbd.pid');
  await stopLeftover(pidFile, 'mariadbd');

  const { cert, key } = installCertificate(o.dir, o.cert, user);
  const socket = join(run, 'mariadb.sock');
  const config = join(o.dir, 'my.cnf');
  writeFileSync(
    config,
    [
      '# Written by dev/databases/mariadb.ts at every start.',
      '[mariadbd]',
      `datadir=${data}`,
      `socket=${socket}`,
      `pid-file=${pidFile}`,
      `log-error=${join(o.dir, 'server.log')}`,
      'bind-address=127.0.0.1',
      `port=${o.port}`,
      'skip-name-resolve',
      'plugin-load-add=auth_pam',
      // The server asks the client for mysql_clear_password, as RDS does for IAM users.
      'pam-use-cleartext-plugin=ON',
      'require-secure-transport=ON',
      `ssl-cert=${cert}`,
      `ssl-key=${key}`,
      'innodb-buffer-pool-size=32M',
      // On for performance_schema.user_variables_by_thread: where the control user reads a session's grant tag.
      'performance-schema=ON',
      'skip-log-bin',
      ...(o.throwaway ? ['innodb-flush-log-at-trx-commit=0', 'innodb-doublewrite=0', 'sync-frm=0'] : []),
      '',
    ].join('\n'),
  );
  const admin: MariadbAdmin = { socket, user: 'root' };
  const server = await startServer({
    name: 'MariaDB',
    command: '/usr/sbin/mariadbd',
    args: [`--defaults-file=${config}`],
    user,
    stopSignal: 'SIGTERM',
    logFile: join(o.dir, 'server.log'),
    probe: async () => (await runClient('mariadb', adminArgs(admin, ['-e', 'select 1']), { timeoutMs: 2_000 })).code === 0,
  });
  return { server, admin };
}

const adminArgs = (a: MariadbAdmin, extra: string[]) => ['--no-defaults', `--socket=${a.socket}`, `--user=${a.user}`, '--batch', '--skip-column-names', ...extra];

/** Runs SQL as root over the socket; the SQL goes on stdin. */
export function mariadbSql(admin: MariadbAdmin, sql: string): Promise<string> {
  return runClientOk('mariadb', adminArgs(admin, []), { input: sql });
}
