import { dirname } from 'node:path';
import type { StackInfo } from './stack-file.ts';

// The human-readable "it is up" message of `npm start`. URLs and paths only:
// never a key, a token or a secret.

export function printBanner(info: StackInfo, extra: { inMemory: boolean; scheduleSeconds: number; routes: number }): void {
  const lines = [
    '',
    'Latchkey local stack is ready (all listeners on 127.0.0.1).',
    '',
    `  API          ${info.apiUrl}   (${extra.routes} routes from serverless.yml)`,
    `  OIDC issuer  ${info.issuer}   (audience "${info.audience}")`,
    `  DynamoDB     ${info.dynamodbEndpoint}   tables ${info.mainTable}, ${info.logTable}`,
    `  AWS stand-in ${info.stsUrl ?? '(not available)'}`,
    ...databaseLines(info),
    `  data         ${extra.inMemory ? 'in memory (gone when stopped)' : `${info.home}/dynamodb, ${info.home}/aws-standin${info.postgres ? ', postgres, mariadb' : ''}`}`,
    `  schedules    ${extra.scheduleSeconds > 0 ? `every ${extra.scheduleSeconds} s` : 'off'}`,
    '',
    'Get a token and call the API:',
    '  TOKEN=$(npm run -s token -- --user alice --tenant acme --roles requester)',
    `  curl -H "Authorization: Bearer $TOKEN" ${info.apiUrl}/me`,
    '',
    'Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The real databases judge IAM tokens on 127.0.0.1 under RDS names: say how a client reaches them. */
function databaseLines(info: StackInfo): string[] {
  if (!info.postgres || !info.mariadb || !info.caBundle || !info.clientEnv) return ['  databases    off (--no-databases)'];
  const env = Object.entries(info.clientEnv).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `  PostgreSQL   postgresql://${info.postgres.host}:${info.postgres.port}/postgres?sslmode=verify-full   (127.0.0.1; IAM tokens only)`,
    `  MariaDB      mariadb://${info.mariadb.host}:${info.mariadb.port}   (127.0.0.1; IAM tokens only)`,
    `  RDS CA       ${info.caBundle}   (run Latchkey's printed psql/mysql commands in ${dirname(info.caBundle)})`,
    `  RDS names    prefix the client with ${env}`,
  ];
}
