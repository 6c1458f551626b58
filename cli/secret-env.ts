// What the CLI's children (the database client, the session-manager-plugin) never inherit:
// the CLI's bearer token, database tokens and password files, and the SSM session's response.
// Each child is then given only the one secret it needs, by name.

export const SECRET_ENV = ['LATCHKEY_TOKEN', 'LATCHKEY_DB_TOKEN', 'PGPASSWORD', 'PGPASSFILE', 'MYSQL_PWD', 'AWS_SSM_START_SESSION_RESPONSE'] as const;

export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of SECRET_ENV) delete copy[name];
  return copy;
}
