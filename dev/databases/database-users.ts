import type { LocalDatabase } from './local-database.ts';
import { createdUser, localStatements } from './local-sql.ts';
import { mariadbSql } from './mariadb.ts';
import { postgresSql } from './postgres.ts';

// Creates database users on a local server by running the statements the
// integration setup emitted (`setup.databases[i].statements`), as the
// customer's DBA would. Callable from any process on this machine running as
// root: it needs only what the ready line says (socket paths, PAM service).
// A user that already exists is left as it is (a persisted stack seeded
// twice); the grants are run again, which changes nothing.

export async function createDatabaseUser(db: LocalDatabase, statements: readonly string[]): Promise<void> {
  const existing = new Set((await run(db, existingUsersSql(db))).split('\n').filter(Boolean));
  const todo = localStatements(db.engine, statements, db.pamService).filter((s) => {
    const user = createdUser(s);
    return user === undefined || !existing.has(user);
  });
  await run(db, todo.join('\n'));
}

const existingUsersSql = (db: LocalDatabase) =>
  db.engine === 'postgres' ? 'SELECT rolname FROM pg_roles;' : "SELECT DISTINCT user FROM mysql.user WHERE host = '%';";

const run = (db: LocalDatabase, sql: string) => (db.engine === 'postgres' ? postgresSql(db.admin, sql) : mariadbSql(db.admin, sql));
