import { parseArgs } from 'node:util';
import { DEFAULT_API_PORT } from './stack-file.ts';

// Command line of `npm start` (dev/start.ts). Environment variables cover the
// flags CI would rather set once: LATCHKEY_HOME, LATCHKEY_JSON=1,
// LATCHKEY_SCHEDULE_SECONDS, LATCHKEY_EXIT_WITH_PARENT=1.

export const USAGE = `usage: npm start -- [options]

  --port N               local API port on 127.0.0.1 (default ${DEFAULT_API_PORT}; 0 = ephemeral)
  --oidc-port N          development OIDC issuer port (default: --port + 1; ephemeral when --port is 0)
  --standin-port N       STS/SSM stand-in port (default: --port + 5; ephemeral when --port is 0)
  --console-port N       web console port (default: --port + 8; ephemeral when --port is 0)
  --home DIR             state folder (default LATCHKEY_HOME or .latchkey in the repo)
  --pg-port N            local PostgreSQL port (default: --port + 6; ephemeral when --port is 0)
  --mariadb-port N       local MariaDB port (default: --port + 7; ephemeral when --port is 0)
  --notify-port N        Slack/SES/Secrets Manager/webhook stand-in port (default: --port + 9; ephemeral when --port is 0)
  --no-databases         start without the local PostgreSQL and MariaDB (and so without the demo)
  --no-demo              do not seed the demo tenant (dev/demo.ts)
  --in-memory            keep DynamoDB Local, the stand-in and the databases in memory / a temporary folder (nothing written to <home>)
  --reset                delete <home>/dynamodb, <home>/aws-standin, <home>/postgres and <home>/mariadb first, then persist as usual
  --json                 print one JSON line {"ready":true,...} instead of the banner (or LATCHKEY_JSON=1)
  --schedule-seconds N   run schedule functions every N seconds (default 60; 0 = never)
  --region R             AWS_REGION for the handlers (default: serverless.yml's)
  --quiet                no access log on stderr
  --no-tenant-isolation  bench baselines only: the functions sign as their own role straight to DynamoDB Local,
                         with no tenant sessions and no DynamoDB front (docs/tenant-isolation.md)`;

export interface StartOptions {
  port: number;
  oidcPort: number;
  standinPort: number;
  pgPort: number;
  mariadbPort: number;
  consolePort: number;
  notifyPort: number;
  databases: boolean;
  demo: boolean;
  home?: string;
  inMemory: boolean;
  reset: boolean;
  json: boolean;
  scheduleSeconds: number;
  region?: string;
  quiet: boolean;
  exitWithParent: boolean;
  tenantIsolation: boolean;
}

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): StartOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'oidc-port': { type: 'string' },
      'standin-port': { type: 'string' },
      'pg-port': { type: 'string' },
      'mariadb-port': { type: 'string' },
      'console-port': { type: 'string' },
      'notify-port': { type: 'string' },
      'no-databases': { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      home: { type: 'string' },
      'in-memory': { type: 'boolean' },
      reset: { type: 'boolean' },
      json: { type: 'boolean' },
      'schedule-seconds': { type: 'string' },
      region: { type: 'string' },
      quiet: { type: 'boolean' },
      'no-tenant-isolation': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = whole(values.port ?? String(DEFAULT_API_PORT), '--port');
  const flag = (value: string | undefined) => value === '1' || value === 'true';
  // Neighbours of the API port, or ephemeral with it (tests run stacks side by side).
  const beside = (value: string | undefined, offset: number, name: string) => (value === undefined ? (port === 0 ? 0 : port + offset) : whole(value, name));
  return {
    port,
    oidcPort: beside(values['oidc-port'], 1, '--oidc-port'),
    // Fixed by default: StreamUrls it handed out, and stack.json, stay valid across restarts.
    standinPort: beside(values['standin-port'], 5, '--standin-port'),
    pgPort: beside(values['pg-port'], 6, '--pg-port'),
    mariadbPort: beside(values['mariadb-port'], 7, '--mariadb-port'),
    consolePort: beside(values['console-port'], 8, '--console-port'),
    notifyPort: beside(values['notify-port'], 9, '--notify-port'),
    databases: !(values['no-databases'] ?? false),
    demo: !(values['no-demo'] ?? false),
    ...(values.home === undefined ? {} : { home: values.home }),
    inMemory: values['in-memory'] ?? false,
    reset: values.reset ?? false,
    json: values.json ?? flag(env.LATCHKEY_JSON),
    scheduleSeconds: whole(values['schedule-seconds'] ?? env.LATCHKEY_SCHEDULE_SECONDS ?? '60', '--schedule-seconds'),
    ...(values.region === undefined ? {} : { region: values.region }),
    quiet: values.quiet ?? false,
    tenantIsolation: !(values['no-tenant-isolation'] ?? false),
    // For test harnesses, and under `npm start`: stop when the process that started us is gone,
    // so a `kill -9` of npm alone leaves no stack holding the ports.
    exitWithParent: flag(env.LATCHKEY_EXIT_WITH_PARENT) || env.npm_lifecycle_event === 'start',
  };
}

function whole(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${name} must be a whole number from 0 to 65535, not "${text}"`);
  return n;
}
