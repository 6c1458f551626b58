import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalAwsStandin } from './aws-standin-hook.ts';
import { dataDirs, startLocalDatabases, type LocalDatabases } from './databases/index.ts';
import { seedDemo, type DemoSummary } from './demo.ts';
import { startDynamoDbLocal, localClient } from './dynamodb-local.ts';
import { ensureTables, readTableSpecs } from './dynamodb-tables.ts';
import { ensureConsoleBuilt, startConsoleServer } from './console-server.ts';
import { keySchemasOf, startDynamoFront } from './aws-standin/dynamodb-front.ts';
import { localIamDocuments } from './iam-documents.ts';
import { LOCAL_ACCOUNT_ID } from './local-api/lambda-runtime.ts';
import { startLocalApi } from './local-api/server.ts';
import { startStreamPollers } from './local-api/streams.ts';
import { startLocalNotifyStandin } from './notify-standin-hook.ts';
import { routeTableFrom } from './local-api/route-table.ts';
import { startOidcIssuer } from './oidc/issuer-server.ts';
import { ensureHome, resolveHome } from './paths.ts';
import { readServerlessYaml } from './serverless-config.ts';
import { printBanner } from './start-banner.ts';
import { parseStartOptions, USAGE } from './start-options.ts';
import { removeStackFile, writeStackFile, type StackInfo } from './stack-file.ts';
import { claimHome, recordChildren, releaseHome } from './stack-pid-file.ts';
import { portHolder } from './proc-info.ts';
import { stackChildren } from './stop-child.ts';

// `npm start`: the whole of Latchkey on this machine, every listener on
// 127.0.0.1 — DynamoDB Local, the development OIDC issuer, the AWS stand-in
// and the local API serving the handlers of serverless.yml.
// Stops on SIGINT/SIGTERM; a closed stdin is not a reason to stop (CI has none).
// Child processes (DynamoDB Local's java, and whatever else is spawned) go into
// `stackChildren` (dev/stop-child.ts): every stop path stops them all, and the
// pid file names them so that a start after a `kill -9` can clean up.

// Lambda runs Node 22; only this local Node 20 draws the AWS SDK's upgrade notice
// (README, Known limits). Set before the first SDK client is made.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const STAGE = 'local';
const closers: (() => Promise<void>)[] = [];
let stopping = false;
let claimedHome: string | undefined;

async function main(): Promise<void> {
  const options = parseStartOptions(process.argv.slice(2));
  if (options === 'help') return void process.stdout.write(`${USAGE}\n`);
  const home = ensureHome(resolveHome(options.home));
  // Before anything listens: refuse a home a live stack holds, stop what a killed one left.
  for (const leftover of await claimHome(home)) console.error(`latchkey: stopped ${leftover}, left behind by a stack that did not stop cleanly`);
  claimedHome = home;
  stackChildren.onChange((children) => recordChildren(home, children));
  const dataDir = join(home, 'dynamodb');
  const standinDir = join(home, 'aws-standin');
  const streamCheckpoints = join(home, 'streams.json');
  if (options.reset) for (const dir of [dataDir, standinDir, streamCheckpoints, join(home, 'mail'), ...dataDirs(home)]) rmSync(dir, { recursive: true, force: true });
  installStopHandlers(home, options.exitWithParent);

  const oidc = await startOidcIssuer({ home, port: options.oidcPort });
  closers.push(oidc.close);
  const doc = readServerlessYaml();
  const table = routeTableFrom(doc, {
    stage: STAGE,
    params: { oidcIssuer: oidc.issuer },
    ...(options.region ? { options: { region: options.region } } : {}),
  });
  const env = table.environment;
  const tables = { main: env.MAIN_TABLE ?? '', log: env.LOG_TABLE ?? '', idempotency: env.IDEMPOTENCY_TABLE ?? '' };

  const standin = await startLocalAwsStandin({
    service: table.service,
    stage: STAGE,
    region: table.region,
    port: options.standinPort,
    ...(options.inMemory ? {} : { stateDir: standinDir }),
  });
  closers.push(standin.close);
  const notify = await startLocalNotifyStandin({ home, port: options.notifyPort, region: table.region, credentialLookup: standin.lookup });
  closers.push(notify.close);
  // Started now, awaited after DynamoDB Local: both spend seconds making data folders. The servers
  // ask the stand-in about every login, so they stop first (closers run in order), also when start-up fails midway.
  const databasesStarting = options.databases
    ? startLocalDatabases({ home, inMemory: options.inMemory, region: table.region, verifierUrl: standin.url, ports: { postgres: options.pgPort, mariadb: options.mariadbPort } })
    : Promise.resolve(undefined);
  databasesStarting.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  closers.unshift(async () => (await databasesStarting.catch(() => undefined))?.close());

  const dynamodb = await startDynamoDbLocal(options.inMemory ? {} : { dataDir });
  closers.push(dynamodb.close);
  if (!dynamodb.loopbackOnly) console.error(`WARNING: DynamoDB Local listens on every interface (port ${dynamodb.port})`);
  const client = localClient(dynamodb.port);
  const tableSpecs = readTableSpecs(tables);
  await ensureTables(client, tableSpecs);
  client.destroy();
  // The functions reach DynamoDB Local only through the front, which judges each call by IAM as AWS does
  // (`--no-tenant-isolation`, for bench baselines only: straight to DynamoDB Local as their own role).
  let dynamodbForFunctions = dynamodb.endpoint;
  if (options.tenantIsolation) {
    standin.installIam(localIamDocuments({ service: table.service, stage: STAGE, region: table.region, account: LOCAL_ACCOUNT_ID, tables, functionRoleArn: standin.broker.roleArn, digestKeyArn: standin.digestKeyArn }));
    const front = await startDynamoFront({ state: standin.state, upstream: dynamodb.endpoint, tables: keySchemasOf(tableSpecs.map((s) => s.input)), account: LOCAL_ACCOUNT_ID });
    closers.unshift(front.close);
    dynamodbForFunctions = front.url;
  }
  const databases = await databasesStarting;
  if (databases) await registerLocalDatabases(standin.url, databases, table.region);

  // What the handlers read at module scope: set before the first import of any handler.
  const { NODE_OPTIONS: _ignored, ...deployed } = env;
  // Handler logs (Powertools) are one JSON line each, stdout (errors on stderr), as in CloudWatch;
  // a POWERTOOLS_LOG_LEVEL given to `npm start` wins over serverless.yml's. EMF metrics, one JSON
  // document per invocation that records any, stay off unless POWERTOOLS_METRICS_DISABLED=false.
  // POWERTOOLS_DEV is dropped: it pretty-prints every line over many.
  const observability = {
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL || deployed.POWERTOOLS_LOG_LEVEL || 'INFO',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  };
  delete process.env.POWERTOOLS_DEV;
  Object.assign(process.env, deployed, observability, {
    AWS_REGION: table.region,
    DYNAMODB_ENDPOINT: dynamodbForFunctions,
    // One process serves every function here: size the shared client's agent for a server, not a container.
    AWS_SDK_MAX_SOCKETS: '512',
    // The functions' own session, which the stand-in and the DynamoDB front know.
    AWS_ACCESS_KEY_ID: standin.broker.accessKeyId,
    AWS_SECRET_ACCESS_KEY: standin.broker.secretAccessKey,
    AWS_SESSION_TOKEN: standin.broker.sessionToken,
    STS_ENDPOINT: standin.url,
    SSM_ENDPOINT: standin.url,
    KMS_ENDPOINT: standin.url,
    // serverless.yml gives the digest key as a GetAtt too; here it is the stand-in's key.
    DIGEST_KEY_ID: standin.digestKeyArn,
    // serverless.yml gives BROKER_ROLE_ARN as a CloudFormation GetAtt; here the broker is the stand-in's session.
    BROKER_ROLE_ARN: standin.broker.roleArn,
    // Ending a grant's database sessions: the local servers listen on 127.0.0.1 with certificates from the local CA.
    ...(databases ? { DB_HOSTADDR: '127.0.0.1', DB_CA_BUNDLE: databases.caBundle } : {}),
    ...notify.env,
    TENANT_DATA_ROLE_ARN: options.tenantIsolation ? `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${table.service}-${STAGE}-tenant-data` : '',
    TRUST_PROBE_ROLE_ARN: standin.trustProbeRoleArn,
  });
  delete process.env.AWS_PROFILE;

  const api = await startLocalApi({
    table,
    stage: STAGE,
    port: options.port,
    scheduleSeconds: options.scheduleSeconds,
    accessLog: !options.quiet,
    credentialLookup: standin.lookup,
  });
  // The API closes first so no request is mid-flight when its store goes away.
  closers.unshift(api.close);
  // The grant log's stream feeds the notifier as Lambda's event source mapping would (dev/local-api/streams.ts).
  const pollers = startStreamPollers(table, api.runtime, {
    dynamodbEndpoint: dynamodb.endpoint,
    region: table.region,
    tableNames: { MainTable: tables.main, GrantLogTable: tables.log },
    ...(options.inMemory ? {} : { checkpointFile: streamCheckpoints }),
  });
  closers.unshift(pollers.stop);
  for (const failure of await api.runtime.warm(table.functions.values())) {
    console.error(`local-api: function ${failure.name} is not loadable yet (it answers 500 until it is): ${failure.error}`);
  }

  const audience = table.authorizers.people?.audience[0] ?? 'latchkey';
  await ensureConsoleBuilt();
  const consoleServer = await startConsoleServer({ port: options.consolePort, apiUrl: api.url, config: { issuer: oidc.issuer, clientId: audience, apiBase: '/api' } });
  closers.unshift(consoleServer.close);

  const info: StackInfo & { brokerRoleArn?: string } = {
    ready: true,
    apiUrl: api.url,
    consoleUrl: consoleServer.url,
    issuer: oidc.issuer,
    audience,
    dynamodbEndpoint: dynamodb.endpoint,
    stsUrl: standin.url,
    notifyUrl: notify.url,
    home,
    mainTable: tables.main,
    logTable: tables.log,
    region: table.region,
    brokerRoleArn: standin.broker.roleArn,
    ...(databases ? { postgres: databases.postgres, mariadb: databases.mariadb, caBundle: databases.caBundle, clientEnv: databases.clientEnv } : {}),
  };
  // The stack file first: the demo's tokens name the issuer, as the token CLI's do.
  writeStackFile(home, info);
  const demo = options.demo && databases ? await seedStartDemo(info, databases) : undefined;
  if (demo) writeStackFile(home, { ...info, demo });
  if (options.json) process.stdout.write(`${JSON.stringify({ ...info, ...(demo ? { demo } : {}) })}\n`);
  else printBanner(info, { inMemory: options.inMemory, scheduleSeconds: options.scheduleSeconds, routes: table.httpApi.length + table.rest.length, demo: demo ?? (options.demo ? 'no-databases' : 'off') });
  for (const notice of demo?.notices ?? []) console.error(`note: ${notice}`);
}

/**
 * Each local server is one RDS instance in the stand-in: its endpoint, account and resource ID (what
 * rds-db:connect names), and where it really listens, which a port-forwarding session dials.
 */
async function registerLocalDatabases(standinUrl: string, databases: LocalDatabases, region: string): Promise<void> {
  for (const db of [databases.postgres, databases.mariadb]) {
    const body = { hostname: db.host, port: db.port, region, account: db.account, resourceId: db.resourceId, reachableAt: { host: db.address, port: db.port } };
    const response = await fetch(`${standinUrl}/_standin/databases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`could not register the local ${db.engine} in the stand-in: ${response.status} ${await response.text()}`);
  }
}

async function seedStartDemo(info: StackInfo, databases: LocalDatabases): Promise<DemoSummary> {
  try {
    return await seedDemo({ apiUrl: info.apiUrl, standinUrl: info.stsUrl ?? '', issuer: info.issuer, home: info.home, region: info.region, postgres: databases.postgres, mariadb: databases.mariadb });
  } catch (error) {
    throw new Error(`the demo tenant could not be set up (start with --no-demo to go without): ${(error as Error).message}`);
  }
}

/** Closes the in-process servers (API first), then every child process; never throws. */
async function closeAll(report: boolean): Promise<void> {
  for (const close of closers) await close().catch((error: unknown) => report && console.error(`stop: ${(error as Error).message}`));
  await stackChildren.stopAll();
}

async function stop(home: string, code: number): Promise<never> {
  stopping = true;
  await closeAll(true);
  removeStackFile(home);
  releaseHome(home);
  process.exit(code);
}

function installStopHandlers(home: string, exitWithParent: boolean): void {
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // tsx (npm start) relays the terminal's Ctrl-C once more within milliseconds:
      // that is the same Ctrl-C. A later one means "now"; the exit hooks still kill java.
      if (Date.now() - firstSignalAt > 1_000) process.exit(130);
      return;
    }
    firstSignalAt = Date.now();
    console.error(`\nlatchkey: ${signal}, stopping`);
    void stop(home, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (exitWithParent) {
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && !stopping && void stop(home, 0), 1_000).unref();
  }
}

main().catch(async (error: unknown) => {
  console.error(`latchkey: could not start: ${startFailure(error)}`);
  stopping = true;
  await closeAll(false);
  if (claimedHome) releaseHome(claimedHome);
  process.exit(1);
});

/** The message for a failed start; a port in use names who holds it, often a stack from another home. */
function startFailure(error: unknown): string {
  const { code, port, message } = error as NodeJS.ErrnoException & { port?: number };
  if (code !== 'EADDRINUSE' || port === undefined) return message;
  const holder = portHolder(port);
  const who = holder ? `pid ${holder.pid} (${holder.command.slice(0, 200)})` : 'another process';
  return `127.0.0.1:${port} is in use by ${who}; stop it, or choose other ports (--port, --oidc-port, --standin-port; --port 0 for ephemeral ones)`;
}
