import { PORT_FORWARDING_DOCUMENT } from '../iam/index.ts';
import type { Engine, Target } from '../targets/index.ts';

// How to connect with what was minted. The RDS token never appears in a
// command line (argv is readable by every user of the machine through `ps`):
// commands read it from $LATCHKEY_DB_TOKEN, which the caller sets from the
// `token` field. The SSM TokenValue, by contrast, has to be handed to the
// session-manager-plugin, so its command is the one place it is embedded.

export const RDS_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
const CA_FILE = 'global-bundle.pem';
export const TOKEN_ENV = 'LATCHKEY_DB_TOKEN';

export type ConnectionTarget = Pick<Target, 'engine' | 'endpoint' | 'port'>;

export type DatabaseConnection = {
  engine: Engine;
  host: string;
  port: number;
  user: string;
  /** The RDS IAM auth token: the password for connections opened before `expiresAt`. */
  token: string;
  expiresAt: string;
  sslmode: 'verify-full';
  caBundleUrl: string;
  /** Reads the token from $LATCHKEY_DB_TOKEN; never contains it. */
  command: string;
  notes: string[];
};

export type Tunnel = {
  sessionId: string;
  streamUrl: string;
  tokenValue: string;
  localPortNumber: number;
  /** session-manager-plugin ≥ 1.2.497.0 reads the StartSession response from the environment variable named in argv 1. */
  pluginCommand: string;
  /** Older plugins take the response itself as argv 1. */
  pluginCommandLegacy: string;
  /** TLS verify-full checks the endpoint's name, so the client must dial the endpoint name and reach 127.0.0.1. */
  hostsEntry: string;
  /** The database client through the tunnel; reads the token from $LATCHKEY_DB_TOKEN. */
  command: string;
  notes: string[];
};

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function clientCommand(engine: Engine, user: string, host: string, port: number, hostaddr?: string): string {
  if (engine === 'postgres') {
    // libpq verifies the certificate against `host` while dialling `hostaddr`: no /etc/hosts change needed.
    const conninfo = [`host=${host}`, ...(hostaddr ? [`hostaddr=${hostaddr}`] : []), `port=${port}`, 'dbname=postgres', `user=${user}`, 'sslmode=verify-full', `sslrootcert=${CA_FILE}`];
    return `PGPASSWORD="$${TOKEN_ENV}" psql ${shellQuote(conninfo.join(' '))}`;
  }
  // MariaDB's client has no --ssl-mode; it verifies the server name with --ssl-verify-server-cert.
  const verify = engine === 'mariadb' ? '--ssl-verify-server-cert' : '--ssl-mode=VERIFY_IDENTITY';
  return `MYSQL_PWD="$${TOKEN_ENV}" mysql --host=${host} --port=${port} --user=${user} --ssl-ca=${CA_FILE} ${verify} --enable-cleartext-plugin`;
}

function commonNotes(engine: Engine): string[] {
  const notes = [
    `Download the RDS CA bundle once: curl -fsSLo ${CA_FILE} ${RDS_CA_BUNDLE_URL}`,
    `Put the token in the environment, not on a command line: read -rs ${TOKEN_ENV} && export ${TOKEN_ENV} (paste the token field).`,
    'The token opens connections until expiresAt; a connection opened before then stays open.',
  ];
  if (engine !== 'postgres') {
    notes.push(
      `MYSQL_PWD is deprecated by MySQL 8 and is visible to your own user's processes (not to others, unlike --password in argv). ` +
        `Without it: mysql --defaults-extra-file=<(printf '[client]\\npassword=%s\\n' "$${TOKEN_ENV}") followed by the other options.`,
      '--enable-cleartext-plugin is required: RDS IAM authentication receives the token as a cleartext password over TLS.',
    );
  }
  return notes;
}

export function connectionInfo(target: ConnectionTarget, databaseUser: string, token: string, expiresAt: string | Date): DatabaseConnection {
  return {
    engine: target.engine,
    host: target.endpoint,
    port: target.port,
    user: databaseUser,
    token,
    expiresAt: new Date(expiresAt).toISOString(),
    sslmode: 'verify-full',
    caBundleUrl: RDS_CA_BUNDLE_URL,
    command: clientCommand(target.engine, databaseUser, target.endpoint, target.port),
    notes: commonNotes(target.engine),
  };
}

export type StartedSession = { region: string; instanceId: string; sessionId: string; streamUrl: string; tokenValue: string; localPortNumber: number };

/** What `aws ssm start-session --document-name AWS-StartPortForwardingSessionToRemoteHost` sends; the plugin needs it back. */
export function startSessionParameters(target: ConnectionTarget, instanceId: string, localPortNumber: number) {
  return {
    Target: instanceId,
    DocumentName: PORT_FORWARDING_DOCUMENT,
    Parameters: { host: [target.endpoint], portNumber: [String(target.port)], localPortNumber: [String(localPortNumber)] },
  };
}

/**
 * The plugin invocation exactly as the AWS CLI makes it
 * (aws/aws-cli awscli/customizations/sessionmanager.py, StartSessionCaller.invoke):
 *   session-manager-plugin <response JSON | env var name> <region> StartSession <profile or ''> <request parameters JSON> <SSM endpoint URL>
 * with the response holding SessionId, TokenValue and StreamUrl.
 */
export function tunnelInfo(target: ConnectionTarget, databaseUser: string, session: StartedSession): Tunnel {
  const response = JSON.stringify({ SessionId: session.sessionId, TokenValue: session.tokenValue, StreamUrl: session.streamUrl });
  const rest = [session.region, 'StartSession', "''", shellQuote(JSON.stringify(startSessionParameters(target, session.instanceId, session.localPortNumber))), `https://ssm.${session.region}.amazonaws.com`].join(' ');
  const envName = 'AWS_SSM_START_SESSION_RESPONSE';
  return {
    sessionId: session.sessionId,
    streamUrl: session.streamUrl,
    tokenValue: session.tokenValue,
    localPortNumber: session.localPortNumber,
    pluginCommand: `${envName}=${shellQuote(response)} session-manager-plugin ${envName} ${rest}`,
    pluginCommandLegacy: `session-manager-plugin ${shellQuote(response)} ${rest}`,
    hostsEntry: `127.0.0.1 ${target.endpoint}`,
    command: clientCommand(target.engine, databaseUser, target.endpoint, session.localPortNumber, target.engine === 'postgres' ? '127.0.0.1' : undefined),
    notes: [
      'Run the plugin command within a minute or two: the TokenValue only admits the first connection. Keep it running while you work.',
      target.engine === 'postgres'
        ? `The psql command dials 127.0.0.1:${session.localPortNumber} and verifies the certificate for ${target.endpoint} (hostaddr).`
        : `Add "127.0.0.1 ${target.endpoint}" to /etc/hosts while the tunnel is up: verification needs the endpoint's name, the tunnel listens on 127.0.0.1.`,
      ...commonNotes(target.engine),
    ],
  };
}
