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
  /** Set when the target's policy ends the grant's sessions: what `command` names its connections by. */
  sessionTag?: string;
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

/** What a grant's connections carry so that ending the grant can tell them from another grant's on the same user. */
export const sessionTagFor = (requestId: string) => `lk-${requestId}`;
/** MySQL/MariaDB have no client-set session name the stock clients send; a user variable set at connect is one (performance_schema.user_variables_by_thread). */
export const MYSQL_TAG_VARIABLE = 'latchkey_grant';

/** The client options that tag a connection: PostgreSQL's application_name, MySQL/MariaDB's --init-command. */
export function tagOptions(engine: Engine, tag: string): { conninfo: string[]; args: string[] } {
  return engine === 'postgres' ? { conninfo: [`application_name=${tag}`], args: [] } : { conninfo: [], args: [`--init-command=SET @${MYSQL_TAG_VARIABLE}='${tag}'`] };
}

function clientCommand(engine: Engine, user: string, host: string, port: number, options: { hostaddr?: string; tag?: string } = {}): string {
  const tag = options.tag ? tagOptions(engine, options.tag) : { conninfo: [], args: [] };
  if (engine === 'postgres') {
    // libpq verifies the certificate against `host` while dialling `hostaddr`: no /etc/hosts change needed.
    const conninfo = [`host=${host}`, ...(options.hostaddr ? [`hostaddr=${options.hostaddr}`] : []), `port=${port}`, 'dbname=postgres', `user=${user}`, 'sslmode=verify-full', `sslrootcert=${CA_FILE}`, ...tag.conninfo];
    return `PGPASSWORD="$${TOKEN_ENV}" psql ${shellQuote(conninfo.join(' '))}`;
  }
  // MariaDB's client has no --ssl-mode; it verifies the server name with --ssl-verify-server-cert.
  const verify = engine === 'mariadb' ? '--ssl-verify-server-cert' : '--ssl-mode=VERIFY_IDENTITY';
  return [`MYSQL_PWD="$${TOKEN_ENV}" mysql --host=${host} --port=${port} --user=${user} --ssl-ca=${CA_FILE} ${verify} --enable-cleartext-plugin`, ...tag.args.map(shellQuote)].join(' ');
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

export function connectionInfo(target: ConnectionTarget, databaseUser: string, token: string, expiresAt: string | Date, sessionTag?: string): DatabaseConnection {
  return {
    engine: target.engine,
    host: target.endpoint,
    port: target.port,
    user: databaseUser,
    token,
    expiresAt: new Date(expiresAt).toISOString(),
    sslmode: 'verify-full',
    caBundleUrl: RDS_CA_BUNDLE_URL,
    command: clientCommand(target.engine, databaseUser, target.endpoint, target.port, sessionTag ? { tag: sessionTag } : {}),
    ...(sessionTag ? { sessionTag } : {}),
    notes: [...commonNotes(target.engine), ...(sessionTag ? [endsWithGrantNote] : [])],
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
const endsWithGrantNote = 'Connections opened with this command end when the grant does (revoke or window end).';

export function tunnelInfo(target: ConnectionTarget, databaseUser: string, session: StartedSession, sessionTag?: string): Tunnel {
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
    command: clientCommand(target.engine, databaseUser, target.endpoint, session.localPortNumber, {
      ...(target.engine === 'postgres' ? { hostaddr: '127.0.0.1' } : {}),
      ...(sessionTag ? { tag: sessionTag } : {}),
    }),
    notes: [
      'Run the plugin command within a minute or two: the TokenValue only admits the first connection. Keep it running while you work.',
      target.engine === 'postgres'
        ? `The psql command dials 127.0.0.1:${session.localPortNumber} and verifies the certificate for ${target.endpoint} (hostaddr).`
        : `Add "127.0.0.1 ${target.endpoint}" to /etc/hosts while the tunnel is up: verification needs the endpoint's name, the tunnel listens on 127.0.0.1.`,
      ...commonNotes(target.engine),
    ],
  };
}
