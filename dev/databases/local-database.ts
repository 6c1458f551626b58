import type { MariadbAdmin } from './mariadb.ts';
import type { PostgresAdmin } from './postgres.ts';

// What the stack tells other processes (the ready line, stack.json) about each
// local database: where a client connects, and how the bootstrap reaches it.
// Paths and names only: no password exists to tell.

export type LocalEngine = 'postgres' | 'mariadb';

interface Common {
  /** The RDS-like endpoint it plays: the name in its certificate and the one tokens must be signed for. */
  host: string;
  port: number;
  /** Where it really listens: clients dial this (psql `hostaddr`, or the nss_wrapper hosts file). */
  address: '127.0.0.1';
  /** The PAM service judging its logins (MariaDB users name it in `IDENTIFIED VIA pam USING`). */
  pamService: string;
  /** One line per login attempt: who, accepted or refused, and the verifier's reason. */
  authLog: string;
  /** The RDS instance it plays, as the stand-in knows it: what `rds-db:connect` ARNs name (LOCAL_RDS_ACCOUNT, localResourceId). */
  account: string;
  resourceId: string;
}

export type LocalPostgres = Common & { engine: 'postgres'; admin: PostgresAdmin };
export type LocalMariadb = Common & { engine: 'mariadb'; admin: MariadbAdmin };
export type LocalDatabase = LocalPostgres | LocalMariadb;

/** An RDS endpoint has the shape `<identifier>.<12 characters>.<region>.rds.amazonaws.com`. */
export const localRdsHostname = (engine: LocalEngine, region: string) => `latchkey-${engine}.lkdevlocal00.${region}.rds.amazonaws.com`;

/**
 * The AWS account and DbiResourceId of the local servers. One server is one RDS instance, so it has one
 * identity, registered in the stand-in at start (dev/start.ts): every tenant that onboards it, the demo's
 * and the tests', registers its target with these.
 */
export const LOCAL_RDS_ACCOUNT = '111122223333';
export const localResourceId = (engine: LocalEngine) => `db-LATCHKEYLOCAL${engine.toUpperCase()}01`;
