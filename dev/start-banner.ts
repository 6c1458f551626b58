import { dirname } from 'node:path';
import { DEMO, type DemoSummary } from './demo.ts';
import type { StackInfo } from './stack-file.ts';

// The human-readable "it is up" message of `npm start`. URLs and paths only:
// never a key, a token or a secret.

export function printBanner(info: StackInfo, extra: { inMemory: boolean; scheduleSeconds: number; routes: number; demo: DemoSummary | 'off' | 'no-databases' }): void {
  const lines = [
    '',
    'Latchkey local stack is ready (all listeners on 127.0.0.1).',
    '',
    `  Console      ${info.consoleUrl ?? '(not started)'}   (sign in through the OIDC issuer below)`,
    `  API          ${info.apiUrl}   (${extra.routes} routes from serverless.yml)`,
    `  OIDC issuer  ${info.issuer}   (audience "${info.audience}")`,
    `  DynamoDB     ${info.dynamodbEndpoint}   tables ${info.mainTable}, ${info.logTable}`,
    `  AWS stand-in ${info.stsUrl ?? '(not available)'}`,
    ...(info.notifyUrl ? [`  notify       ${info.notifyUrl}   (Slack Web API, SES v2 -> ${info.home}/mail, Secrets Manager, webhooks at /hooks/<name>)`] : []),
    ...databaseLines(info),
    `  data         ${extra.inMemory ? 'in memory (gone when stopped)' : `${info.home}/dynamodb, ${info.home}/aws-standin${info.postgres ? ', postgres, mariadb' : ''}`}`,
    `  schedules    ${extra.scheduleSeconds > 0 ? `every ${extra.scheduleSeconds} s` : 'off'}`,
    '',
    ...(typeof extra.demo === 'object' ? demoLines(info, extra.demo) : [`Demo tenant: ${extra.demo === 'off' ? 'off (--no-demo)' : 'off (it needs the databases)'}.`]),
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

/**
 * From nothing to a psql prompt on the demo tenant, as shell lines to paste (in the repo): the same
 * steps as README.md's walkthrough, with this stack's URLs and the target's ID filled in.
 * tests/e2e/walkthrough.test.ts runs them. Tokens come from the CLI when run; none is printed.
 */
export function demoCommands(info: Pick<StackInfo, 'apiUrl' | 'home'>, demo: DemoSummary): string[] {
  const orders = demo.targets.find((t) => t.name === DEMO.targets.postgres);
  const json = `-H "$J"`;
  return [
    `export LATCHKEY_HOME=${info.home}; API=${info.apiUrl}; J='content-type: application/json'`,
    `ALICE=$(npm run -s token -- --user ${DEMO.requester} --tenant ${DEMO.tenant} --roles requester)`,
    `BOB=$(npm run -s token -- --user ${DEMO.approver} --tenant ${DEMO.tenant} --roles approver --groups ${DEMO.approverGroup})`,
    `REQ=$(curl -s $API/requests -H "authorization: Bearer $ALICE" ${json} -d '{"targetId":"${orders?.targetId ?? ''}","databaseUser":"app_ro","durationMinutes":60,"reason":"demo"}' | jq -r .requestId)`,
    `curl -s $API/requests/$REQ/approve -H "authorization: Bearer $BOB" ${json} -d '{}'; echo`,
    `CREDS=$(curl -s $API/requests/$REQ/credentials -H "authorization: Bearer $ALICE" ${json} -d '{}')`,
    `(cd $LATCHKEY_HOME/tls && LATCHKEY_DB_TOKEN=$(echo "$CREDS" | jq -r .database.token) LD_PRELOAD=libnss_wrapper.so NSS_WRAPPER_HOSTS=../nss-hosts sh -c "$(echo "$CREDS" | jq -r .database.command)")`,
  ];
}

function demoLines(info: StackInfo, demo: DemoSummary): string[] {
  const private_ = demo.targets.find((t) => t.bastionInstanceId);
  return [
    `Demo tenant "${demo.tenant}" (--no-demo skips it): ${demo.targets.map((t) => `${t.name} ${t.targetId}${t.bastionInstanceId ? ` (private, through bastion ${t.bastionInstanceId})` : ''}`).join(', ')}.`,
    'From nothing to a psql prompt (README.md, "Walkthrough", explains each step and the MariaDB one):',
    ...demoCommands(info, demo).map((line) => `  ${line}`),
    ...(private_ ? [`For ${private_.name}: ask credentials with -d '{"ssm":{"localPortNumber":13306}}', run .ssm.pluginCommand with PATH="$PWD/dev/bin:$PATH" (the tunnel), then .ssm.command.`] : []),
  ];
}
