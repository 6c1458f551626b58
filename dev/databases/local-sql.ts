import type { LocalEngine } from './local-database.ts';

// The SQL Latchkey emits for the customer's DBA (shared/domain/setup-sql.ts),
// made runnable here. PostgreSQL's runs unchanged (the stack creates the
// `rds_iam` role RDS has). MariaDB has no AWSAuthenticationPlugin, so that
// one clause becomes auth_pam with our PAM service, TLS still required; the
// customer keeps seeing the RDS clause.

const AWS_PLUGIN = /IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'/;

export function localStatements(engine: LocalEngine, statements: readonly string[], pamService: string): string[] {
  if (engine === 'postgres') return [...statements];
  return statements.map((s) => {
    if (!/^CREATE USER/i.test(s)) return s;
    // A CREATE USER without the RDS clause means the emitted SQL changed: say so rather than create a password-less user.
    if (!AWS_PLUGIN.test(s)) throw new Error(`not the emitted RDS IAM CREATE USER: ${s}`);
    return s.replace(AWS_PLUGIN, `IDENTIFIED VIA pam USING '${pamService}' REQUIRE SSL`);
  });
}

/** The user a `CREATE USER "x"` / `CREATE USER 'x'@'%'` statement creates. */
export function createdUser(statement: string): string | undefined {
  const m = /^CREATE USER\s+(?:"([^"]+)"|'([^']+)'@)/i.exec(statement);
  return m?.[1] ?? m?.[2];
}
