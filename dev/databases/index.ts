import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';
import { localCa } from './local-ca.ts';
import { LOCAL_RDS_ACCOUNT, localRdsHostname, localResourceId, type LocalMariadb, type LocalPostgres } from './local-database.ts';
import { startMariadb } from './mariadb.ts';
import { pamChecks, removeStalePamServices } from './pam-check.ts';
import { startPostgres } from './postgres.ts';

// The local stack's real databases: a PostgreSQL and a MariaDB on 127.0.0.1
// that authenticate as RDS IAM authentication does — TLS only, a certificate
// for an RDS host name from a local CA, and the password judged as an IAM
// token by the AWS stand-in's verifier at connect time (pam-check.ts).
// See REAL-DATABASES.md for why each piece is what it is.

export { createDatabaseUser } from './database-users.ts';
export type { LocalDatabase, LocalMariadb, LocalPostgres } from './local-database.ts';
export { LOCAL_RDS_ACCOUNT, localResourceId } from './local-database.ts';

export interface LocalDatabasesOptions {
  home: string;
  /** Data in a temporary folder, gone when the stack stops. */
  inMemory: boolean;
  region: string;
  /** The AWS stand-in's URL: its /_standin/verify-rds-token judges every login. */
  verifierUrl: string;
  /** 0 means an ephemeral port. */
  ports: { postgres: number; mariadb: number };
}

export interface LocalDatabases {
  postgres: LocalPostgres;
  mariadb: LocalMariadb;
  /** The local CA: what `sslrootcert` / `--ssl-ca` name. Also copied as global-bundle.pem beside it. */
  caBundle: string;
  /** For client processes: resolves the RDS names to 127.0.0.1 without touching /etc/hosts. */
  clientEnv: { LD_PRELOAD: string; NSS_WRAPPER_HOSTS: string };
  close(): Promise<void>;
}

const TEMP_PREFIX = 'latchkey-db-';

/** In-memory data of a stack that was killed outright: its folder names a pid that is gone. */
function removeOrphanedTempDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.startsWith(TEMP_PREFIX) ? name.slice(TEMP_PREFIX.length).split('-')[0] : NaN);
    if (Number.isInteger(pid) && pid > 0 && !existsSync(`/proc/${pid}`)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

export const dataDirs = (home: string) => [join(home, 'postgres'), join(home, 'mariadb')];

export async function startLocalDatabases(o: LocalDatabasesOptions): Promise<LocalDatabases> {
  if (process.getuid?.() !== 0) {
    throw new Error('the local databases need root (they install PAM services in /etc/pam.d and run as the postgres and mysql users); start with --no-databases to go without');
  }
  // The servers' own users must reach their folders and the PAM check under <home>;
  // 0711 lets them through without listing it (oidc-key.json stays 0600).
  chmodSync(o.home, 0o711);
  if (o.inMemory) removeOrphanedTempDirs();
  const dataRoot = o.inMemory ? mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`)) : o.home;
  chmodSync(dataRoot, 0o711);
  const [pgDir, mariaDir] = dataDirs(dataRoot) as [string, string];

  const ca = localCa(o.home);
  const bundleCopy = join(o.home, 'tls', 'global-bundle.pem');
  // Latchkey's printed commands name RDS's bundle by its file name: in <home>/tls they run unchanged.
  copyFileSync(ca.bundle, bundleCopy);
  const hosts = { postgres: localRdsHostname('postgres', o.region), mariadb: localRdsHostname('mariadb', o.region) };
  const hostsFile = join(o.home, 'nss-hosts');
  writeFileSync(hostsFile, ['127.0.0.1 localhost', '::1 localhost', `127.0.0.1 ${hosts.postgres}`, `127.0.0.1 ${hosts.mariadb}`, ''].join('\n'), { mode: 0o644 });

  const ports = { postgres: o.ports.postgres || (await freePort()), mariadb: o.ports.mariadb || (await freePort()) };
  removeStalePamServices();
  const pam = pamChecks(o.home, o.verifierUrl);
  const authLog = { postgres: join(pgDir, 'auth.log'), mariadb: join(mariaDir, 'auth.log') };
  const pgService = pam.install({ engine: 'postgres', hostname: hosts.postgres, port: ports.postgres, logFile: authLog.postgres });
  const mariaService = pam.install({ engine: 'mariadb', hostname: hosts.mariadb, port: ports.mariadb, logFile: authLog.mariadb });

  const started = await Promise.allSettled([
    startPostgres({ dir: pgDir, port: ports.postgres, cert: ca.issue('postgres', [hosts.postgres]), pamService: pgService, throwaway: o.inMemory }),
    startMariadb({ dir: mariaDir, port: ports.mariadb, cert: ca.issue('mariadb', [hosts.mariadb]), throwaway: o.inMemory }),
  ]);
  const close = async () => {
    for (const s of started) if (s.status === 'fulfilled') await s.value.server.stop();
    pam.remove();
    if (o.inMemory) rmSync(dataRoot, { recursive: true, force: true });
  };
  const [pg, maria] = started;
  if (pg?.status !== 'fulfilled' || maria?.status !== 'fulfilled') {
    await close();
    const reasons = started.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    throw new Error(`local databases did not start: ${reasons.join('\n')}`);
  }
  return {
    postgres: { engine: 'postgres', host: hosts.postgres, port: ports.postgres, address: '127.0.0.1', pamService: pgService, authLog: authLog.postgres, account: LOCAL_RDS_ACCOUNT, resourceId: localResourceId('postgres'), admin: pg.value.admin },
    mariadb: { engine: 'mariadb', host: hosts.mariadb, port: ports.mariadb, address: '127.0.0.1', pamService: mariaService, authLog: authLog.mariadb, account: LOCAL_RDS_ACCOUNT, resourceId: localResourceId('mariadb'), admin: maria.value.admin },
    caBundle: ca.bundle,
    clientEnv: { LD_PRELOAD: 'libnss_wrapper.so', NSS_WRAPPER_HOSTS: hostsFile },
    close,
  };
}
