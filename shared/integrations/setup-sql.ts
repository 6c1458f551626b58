import { CONTROL_DB_USER, connectableUsers, type SetupTarget } from '../iam/index.ts';

// What the customer's DBA runs once per database: turn on IAM database
// authentication, then create each registered user for it (Creating a database
// account using IAM authentication, RDS and Aurora user guides). Database user
// names are `^[A-Za-z][A-Za-z0-9_]{0,62}$` (domain/target.ts), so quoting them
// here cannot break out of the identifier; they are quoted because IAM matches
// the user name case-sensitively and PostgreSQL folds unquoted names to lower case.

export type DatabaseSql = {
  targetId: string;
  name: string;
  engine: SetupTarget['engine'];
  /** The `aws rds modify-db-instance|modify-db-cluster … --enable-iam-database-authentication` command. */
  enableIamAuthentication: string;
  statements: string[];
};

/** The instance or cluster identifier is the first label of an RDS endpoint (`orders.abc….rds.amazonaws.com`). */
export function rdsIdentifier(endpoint: string): string | undefined {
  return /\.rds\.amazonaws\.com$/i.test(endpoint) ? endpoint.split('.')[0] : undefined;
}

export function enableIamAuthCommand(t: Pick<SetupTarget, 'aurora' | 'endpoint' | 'region'>): string {
  const id = rdsIdentifier(t.endpoint);
  return t.aurora
    ? `aws rds modify-db-cluster --db-cluster-identifier ${id ?? '<db-cluster-identifier>'} --enable-iam-database-authentication --apply-immediately --region ${t.region}`
    : `aws rds modify-db-instance --db-instance-identifier ${id ?? '<db-instance-identifier>'} --enable-iam-database-authentication --apply-immediately --region ${t.region}`;
}

export function createUserStatements(engine: SetupTarget['engine'], user: string): string[] {
  if (engine === 'postgres') return [`CREATE USER "${user}";`, `GRANT rds_iam TO "${user}";`];
  // MySQL and MariaDB: the AWS plugin authenticates; TLS is required for IAM tokens anyway, REQUIRE SSL makes the server insist.
  return [`CREATE USER '${user}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';`, `ALTER USER '${user}'@'%' REQUIRE SSL;`];
}

/**
 * The least the control user needs to end other users' sessions, and nothing to read or change their data:
 * PostgreSQL `pg_signal_backend` (pg_terminate_backend on non-superuser backends; application_name and pid
 * of every backend are visible to any user). MariaDB ≥ 10.5.2 `PROCESS` (see every connection) and
 * `CONNECTION ADMIN` (KILL another user's); MySQL 8 the same as `CONNECTION_ADMIN`; both read the grant's tag
 * from performance_schema (SELECT on it).
 */
export function controlUserGrants(engine: SetupTarget['engine'], user: string): string[] {
  if (engine === 'postgres') return [`GRANT pg_signal_backend TO "${user}";`];
  const admin = engine === 'mariadb' ? 'CONNECTION ADMIN' : 'CONNECTION_ADMIN';
  return [`GRANT PROCESS, ${admin} ON *.* TO '${user}'@'%';`, `GRANT SELECT ON performance_schema.* TO '${user}'@'%';`];
}

export function databaseSql(t: SetupTarget): DatabaseSql {
  return {
    targetId: t.targetId,
    name: t.name,
    engine: t.engine,
    enableIamAuthentication: enableIamAuthCommand(t),
    statements: connectableUsers(t).flatMap((u) => [...createUserStatements(t.engine, u), ...(u === CONTROL_DB_USER ? controlUserGrants(t.engine, u) : [])]),
  };
}

/** One script for every database of the integration, each block saying where to run it. */
export function sqlScript(databases: DatabaseSql[]): string {
  if (databases.length === 0) return '-- No targets yet: register databases in this integration, then fetch the setup again.\n';
  return databases
    .map((d) =>
      [
        `-- ${d.name} (${d.targetId}, ${d.engine})`,
        '-- 1. Enable IAM database authentication (shell):',
        `--    ${d.enableIamAuthentication}`,
        '-- 2. As the master user, create the users Latchkey may issue tokens for, then grant them what they need:',
        ...d.statements,
        '',
      ].join('\n'),
    )
    .join('\n');
}
