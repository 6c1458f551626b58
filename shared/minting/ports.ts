import type { ApprovedRequest } from '../requests/index.ts';
import type { LogEntry } from '../grant-log/index.ts';
import type { IntegrationRegistry } from '../integrations/index.ts';
import type { SessionTag } from '../iam/index.ts';
import type { Engine } from '../targets/index.ts';

// Ports of credential minting. Adapters throw AwsCallError (errors.ts)
// when AWS refuses or fails, carrying the AWS error code and nothing else.

/** Temporary credentials of an assumed-role session. Secret: never logged, never stored. */
export type AwsCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
};

export type AssumeRoleInput = {
  roleArn: string;
  externalId: string;
  sessionName: string;
  sourceIdentity: string;
  tags: SessionTag[];
  durationSeconds: number;
  /** The session policy as compact JSON. */
  policy: string;
};

export type AssumedRole = {
  credentials: AwsCredentials;
  /** `AROA…:sessionName`: what CloudTrail records as the principal id. */
  assumedRoleId: string;
  assumedRoleArn: string;
  /** Percent of STS's packed budget the policy and tags used; STS sends it when either was given. */
  packedPolicySize?: number;
};

export interface RoleAssumer {
  assume(input: AssumeRoleInput): Promise<AssumedRole>;
}

export type DbTokenRequest = { hostname: string; port: number; region: string; username: string; credentials: AwsCredentials };

export interface DbTokenSigner {
  /** An RDS IAM auth token: a SigV4 presigned `connect` URL, valid 15 minutes from signing. */
  sign(request: DbTokenRequest): Promise<string>;
}

export type PortForwarding = { region: string; instanceId: string; host: string; portNumber: number; localPortNumber: number };
export type SsmSession = { sessionId: string; streamUrl: string; tokenValue: string };

export interface SessionStarter {
  /** StartSession with AWS-StartPortForwardingSessionToRemoteHost. */
  start(credentials: AwsCredentials, forwarding: PortForwarding): Promise<SsmSession>;
  /** Ending a session that is already gone is not an error. */
  terminate(credentials: AwsCredentials, region: string, sessionId: string): Promise<void>;
}

/**
 * Minting only reads integrations, through the integrations feature's own model and
 * adapter: one item, one type, one reader of it (an item that breaks the model is a
 * CorruptRecordError there, never a guessed status).
 */
export type IntegrationReader = Pick<IntegrationRegistry, 'get'>;

/** An SSM session Latchkey started for a grant, kept so it can be ended on revocation or at window end. */
export type SessionRecord = {
  tenantId: string;
  requestId: string;
  sessionId: string;
  region: string;
  instanceId: string;
  integrationId: string;
  startedAt: string;
  status: 'active' | 'terminated';
  terminatedAt?: string;
};

/** How Latchkey reaches one database to end sessions: its endpoint, as its control user, with an IAM token (secret). */
export type ControlConnection = { engine: Engine; host: string; port: number; user: string; token: string };

/** Which of the database's sessions are the grant's. */
export type GrantSessions = {
  databaseUser: string;
  /** What the grant's connections carry (sessionTagFor): PostgreSQL application_name, MySQL/MariaDB @latchkey_grant. */
  tag: string;
  /** The tags of the other open grants on the same database user: their sessions stay; an untagged one may be theirs, so it is reported, not ended. */
  otherOpenTags: string[];
};

export type EndedDatabaseSessions = {
  /** Backend pids (PostgreSQL) or connection ids (MySQL/MariaDB) that were ended. */
  terminated: number[];
  /** The user's sessions that carry no grant's tag, left open because another open grant uses the user. */
  unattributed: number[];
};

export interface DatabaseSessionTerminator {
  /** Ends the grant's sessions; throws DatabaseUnreachableError (a short reason, never the token) when it cannot. */
  terminate(connection: ControlConnection, grant: GrantSessions): Promise<EndedDatabaseSessions>;
}

/**
 * A grant whose database sessions are to be ended: written with its first issuance on a target whose policy
 * ends sessions, due at the window's end (or, after a failed attempt, at the next retry) until they are.
 */
export type DbSessionsRecord = {
  tenantId: string;
  requestId: string;
  status: 'due' | 'ended' | 'abandoned';
  /** Every attempt so far (the write of the next is conditional on it). */
  attempts: number;
  /** Failed attempts since the last success: the backoff's exponent, and the give-up count. */
  failures: number;
  dueAt: string;
  /**
   * When the last token issued for the grant expires. A revoke cannot recall a token, so until then it can open
   * new connections: after ending the sessions at revoke, one more pass is due at this time.
   */
  tokensValidUntil: string;
};

export interface IssuanceStore {
  /**
   * One transaction: a condition that the request is still approved at
   * `expectedVersion` and its window still open at `entry.at`, the session
   * records, and the `credentials.issued` event. ConcurrentModificationError
   * when the grant changed meanwhile; nothing is written then.
   */
  recordIssuance(request: ApprovedRequest, expectedVersion: number, entry: LogEntry, sessions: SessionRecord[], dbSessions?: DbSessionsRecord): Promise<void>;
  /** A `credentials.failed` event on its own: no state changed. */
  recordFailure(entry: LogEntry): Promise<void>;
  /** Marks the sessions terminated and writes the `ssm.sessions_terminated` event, in one transaction. */
  recordTermination(entry: LogEntry, sessions: SessionRecord[]): Promise<void>;
  /** Every session started for the request, oldest first. */
  sessionsOf(tenantId: string, requestId: string): Promise<SessionRecord[]>;
  /** The grant's database-sessions record, if credentials were issued on a target that ends sessions. */
  dbSessionsOf(tenantId: string, requestId: string): Promise<DbSessionsRecord | undefined>;
  /**
   * One attempt at ending them: the record's next state and its `db.sessions_terminated` or
   * `db.sessions_termination_failed` event in one transaction, conditional on the record still being due
   * after `next.attempts - 1` attempts (ConcurrentModificationError: another terminator got there first).
   */
  recordDbSessionsAttempt(entry: LogEntry, next: DbSessionsRecord): Promise<void>;
}
