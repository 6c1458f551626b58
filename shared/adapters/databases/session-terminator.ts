import { connect as netConnect } from 'node:net';
import { DatabaseUnreachableError } from '../../minting/errors.ts';
import { MYSQL_TAG_VARIABLE } from '../../minting/connection-info.ts';
import type { ControlConnection, DatabaseSessionTerminator, EndedDatabaseSessions, GrantSessions } from '../../minting/ports.ts';

// The direct path of ending a grant's sessions: this function connects to the database's endpoint as the
// control user, with an IAM token, over TLS verified against the endpoint's name (docs/database-sessions.md).
// The drivers load only when a termination runs: no other function pays for them at cold start.

export type TerminatorOptions = {
  /** PEM of the CAs the database certificates chain to (RDS: the global bundle). Unset: Node's own trust store. */
  ca?: string;
  /** Local stack only: dial this address while verifying the certificate for the endpoint's name (psql's hostaddr). */
  hostaddr?: string;
  timeoutMs?: number;
};

type Session = { id: number; tag: string | null };

/**
 * Which sessions are the grant's: its own tag; and a session with no open grant's tag (tag removed, or never
 * set: a client Latchkey did not print) when no other open grant uses the database user. With one, such a
 * session may be the other grant's, so it is left and reported.
 */
export function chooseSessions(sessions: readonly Session[], grant: GrantSessions): EndedDatabaseSessions {
  const terminated: number[] = [];
  const unattributed: number[] = [];
  for (const s of sessions) {
    if (s.tag === grant.tag) terminated.push(s.id);
    else if (s.tag !== null && grant.otherOpenTags.includes(s.tag)) continue;
    else if (grant.otherOpenTags.length === 0) terminated.push(s.id);
    else unattributed.push(s.id);
  }
  return { terminated, unattributed };
}

/** A short reason, never the server's text (it could quote what the client sent): SQLSTATE, socket code or a word. */
function reasonOf(error: unknown): string {
  const e = error as { code?: unknown; errno?: unknown; sqlState?: unknown; message?: unknown };
  if (typeof e.sqlState === 'string' && /^[0-9A-Z]{5}$/.test(e.sqlState) && e.sqlState !== 'HY000') return `SQLSTATE_${e.sqlState}`;
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return `SQLSTATE_${e.code}`;
  if (typeof e.code === 'string' && /^[A-Z_]{3,40}$/.test(e.code)) return e.code;
  if (typeof e.message === 'string' && /timeout/i.test(e.message)) return 'ETIMEDOUT';
  return 'connect_failed';
}

export class DirectSessionTerminator implements DatabaseSessionTerminator {
  constructor(private readonly options: TerminatorOptions = {}) {}

  async terminate(connection: ControlConnection, grant: GrantSessions): Promise<EndedDatabaseSessions> {
    try {
      return connection.engine === 'postgres' ? await this.postgres(connection, grant) : await this.mysql(connection, grant);
    } catch (error) {
      throw new DatabaseUnreachableError(reasonOf(error), { cause: error });
    }
  }

  private get timeoutMs() {
    return this.options.timeoutMs ?? 5_000;
  }

  private async postgres(c: ControlConnection, grant: GrantSessions): Promise<EndedDatabaseSessions> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      host: this.options.hostaddr ?? c.host,
      port: c.port,
      user: c.user,
      password: c.token,
      database: 'postgres',
      application_name: 'latchkey-control',
      // verify-full: the certificate must chain to the CA and name the endpoint.
      ssl: { rejectUnauthorized: true, servername: c.host, ...(this.options.ca ? { ca: this.options.ca } : {}) },
      connectionTimeoutMillis: this.timeoutMs,
      statement_timeout: this.timeoutMs,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      // Any user may read pid, usename and application_name of every backend; pg_signal_backend may end non-superusers'.
      const listed = await client.query<{ pid: number; application_name: string }>(
        "SELECT pid, application_name FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()",
        [grant.databaseUser],
      );
      const chosen = chooseSessions(listed.rows.map((r) => ({ id: r.pid, tag: r.application_name || null })), grant);
      if (chosen.terminated.length === 0) return chosen;
      const ended = await client.query<{ pid: number; ok: boolean }>('SELECT pid, pg_terminate_backend(pid) AS ok FROM unnest($1::int[]) AS pid', [chosen.terminated]);
      // A backend that exited meanwhile answers false: it is gone either way, so it is not listed as ended by us.
      return { terminated: ended.rows.filter((r) => r.ok).map((r) => r.pid), unattributed: chosen.unattributed };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async mysql(c: ControlConnection, grant: GrantSessions): Promise<EndedDatabaseSessions> {
    const { default: mysql } = await import('mysql2/promise');
    const hostaddr = this.options.hostaddr;
    const conn = await mysql.createConnection({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.token,
      ssl: { rejectUnauthorized: true, verifyIdentity: true, ...(this.options.ca ? { ca: this.options.ca } : {}) },
      // RDS IAM authentication takes the token as a cleartext password, over TLS.
      authPlugins: { mysql_clear_password: () => () => Buffer.from(`${c.token}\0`) },
      connectTimeout: this.timeoutMs,
      // Dial hostaddr while `host` stays the name TLS verifies.
      ...(hostaddr ? { stream: () => netConnect(c.port, hostaddr) } : {}),
    });
    conn.on('error', () => undefined);
    try {
      // PROCESS shows every connection; the tag is the user variable the printed client set at connect.
      const [rows] = await conn.query(
        `SELECT p.ID AS id, CAST(v.VARIABLE_VALUE AS CHAR) AS tag
           FROM information_schema.PROCESSLIST p
           LEFT JOIN performance_schema.threads t ON t.PROCESSLIST_ID = p.ID
           LEFT JOIN performance_schema.user_variables_by_thread v ON v.THREAD_ID = t.THREAD_ID AND v.VARIABLE_NAME = ?
          WHERE p.USER = ? AND p.ID <> CONNECTION_ID()`,
        [MYSQL_TAG_VARIABLE, grant.databaseUser],
      );
      const chosen = chooseSessions((rows as { id: number; tag: string | null }[]).map((r) => ({ id: Number(r.id), tag: r.tag ?? null })), grant);
      const terminated: number[] = [];
      for (const id of chosen.terminated) {
        // KILL CONNECTION of a connection that closed meanwhile fails with ER_NO_SUCH_THREAD: gone either way.
        const ok = await conn.query(`KILL CONNECTION ${Number(id)}`).then(() => true, (e: { code?: string }) => (e.code === 'ER_NO_SUCH_THREAD' ? false : Promise.reject(e)));
        if (ok) terminated.push(id);
      }
      return { terminated, unattributed: chosen.unattributed };
    } finally {
      await conn.end().catch(() => undefined);
    }
  }
}
