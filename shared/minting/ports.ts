import type { ApprovedRequest } from '../requests/index.ts';
import type { LogEntry } from '../grant-log/index.ts';
import type { IntegrationRegistry } from '../integrations/index.ts';
import type { SessionTag } from '../iam/index.ts';

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

export interface IssuanceStore {
  /**
   * One transaction: a condition that the request is still approved at
   * `expectedVersion` and its window still open at `entry.at`, the session
   * records, and the `credentials.issued` event. ConcurrentModificationError
   * when the grant changed meanwhile; nothing is written then.
   */
  recordIssuance(request: ApprovedRequest, expectedVersion: number, entry: LogEntry, sessions: SessionRecord[]): Promise<void>;
  /** A `credentials.failed` event on its own: no state changed. */
  recordFailure(entry: LogEntry): Promise<void>;
  /** Marks the sessions terminated and writes the `ssm.sessions_terminated` event, in one transaction. */
  recordTermination(entry: LogEntry, sessions: SessionRecord[]): Promise<void>;
  /** Every session started for the request, oldest first. */
  sessionsOf(tenantId: string, requestId: string): Promise<SessionRecord[]>;
}
