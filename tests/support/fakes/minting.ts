import type { ApprovedRequest } from '#shared/requests/access-request';
import type { LogEntry, LogEvent } from '#shared/grant-log/events';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import { AwsCallError } from '#shared/minting/errors';
import type { RequestStore } from '#shared/requests/ports';
import { DatabaseUnreachableError } from '#shared/minting/errors';
import { chooseSessions } from '#shared/adapters/databases/session-terminator';
import type {
  AssumedRole, AssumeRoleInput, AwsCredentials, ControlConnection, DatabaseSessionTerminator, DbSessionsRecord, DbTokenRequest, DbTokenSigner,
  EndedDatabaseSessions, GrantSessions, IssuanceStore, PortForwarding, RoleAssumer, SessionRecord, SessionStarter, SsmSession,
} from '#shared/minting/ports';
import { InMemoryGrantLog } from './grant-log.ts';

// In-memory ports of credential minting. Secrets the fakes hand out are
// recognisable so tests can look for them. The issuance store keeps the promise
// of DynamoIssuanceStore (tests/contract/issuance-store.contract.ts): the issued
// event and the session records are written only if the request is still
// approved at the version read and its window open, all or nothing.

export const ACCOUNT = '111122223333';
export const SECRET_KEY = 'SECRET-ACCESS-KEY-wJalrXUtnFEMI/K7MDENG';
export const SESSION_TOKEN = 'SESSION-TOKEN-IQoJb3JpZ2luX2VjEJr//////////';
export const DB_TOKEN = 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com:5432/?Action=connect&DBUser=app_ro&X-Amz-Signature=DBTOKENSECRET';
export const TOKEN_VALUE = 'TOKEN-VALUE-SECRET-AAEAAbc+/=';

let keyCounter = 0;
export class FakeRoleAssumer implements RoleAssumer {
  readonly calls: AssumeRoleInput[] = [];
  /** An AWS error code: every call fails with it. */
  failWith?: string;
  packedPolicySize = 42;
  async assume(input: AssumeRoleInput): Promise<AssumedRole> {
    this.calls.push(structuredClone(input));
    if (this.failWith) throw new AwsCallError('sts', 'AssumeRole', this.failWith, 'req-sts-1');
    keyCounter++;
    return {
      credentials: { accessKeyId: `ASIAFAKE${String(keyCounter).padStart(12, '0')}`, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN, expiration: new Date(Date.now() + 3600_000) },
      assumedRoleId: `AROAFAKEROLEID0000001:${input.sessionName}`,
      assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/LatchkeyAccess/${input.sessionName}`,
      packedPolicySize: this.packedPolicySize,
    };
  }
}

export class FakeTokenSigner implements DbTokenSigner {
  readonly calls: DbTokenRequest[] = [];
  async sign(request: DbTokenRequest): Promise<string> {
    this.calls.push(request);
    return DB_TOKEN;
  }
}

export class FakeSessionStarter implements SessionStarter {
  readonly started: (PortForwarding & { sessionId: string; credentials: AwsCredentials })[] = [];
  readonly terminated: string[] = [];
  failStartWith?: string;
  failTerminateWith?: string;
  private counter = 0;
  async start(credentials: AwsCredentials, forwarding: PortForwarding): Promise<SsmSession> {
    if (this.failStartWith) throw new AwsCallError('ssm', 'StartSession', this.failStartWith);
    const sessionId = `lk-session-${String(++this.counter).padStart(17, '0')}`;
    this.started.push({ ...forwarding, sessionId, credentials });
    return { sessionId, streamUrl: `wss://ssmmessages.${forwarding.region}.amazonaws.com/v1/data-channel/${sessionId}`, tokenValue: TOKEN_VALUE };
  }
  async terminate(_credentials: AwsCredentials, _region: string, sessionId: string): Promise<void> {
    if (this.failTerminateWith) throw new AwsCallError('ssm', 'TerminateSession', this.failTerminateWith);
    this.terminated.push(sessionId);
  }
  /** Started and not terminated. */
  open(): string[] {
    return this.started.map((s) => s.sessionId).filter((id) => !this.terminated.includes(id));
  }
}

/**
 * A database's live sessions, by id, with the tag each carries (null: none). `terminate` applies the same
 * rule as the real adapter (chooseSessions) to what is live here, so a test sees which survive.
 */
export class FakeDatabaseSessions implements DatabaseSessionTerminator {
  readonly calls: { connection: ControlConnection; grant: GrantSessions }[] = [];
  readonly live = new Map<number, { databaseUser: string; tag: string | null }>();
  /** A reason: every call fails with it, as if the database were unreachable. */
  failWith?: string;
  private next = 100;
  open(databaseUser: string, tag: string | null): number {
    const id = this.next++;
    this.live.set(id, { databaseUser, tag });
    return id;
  }
  async terminate(connection: ControlConnection, grant: GrantSessions): Promise<EndedDatabaseSessions> {
    this.calls.push({ connection: { ...connection }, grant: structuredClone(grant) });
    if (this.failWith) throw new DatabaseUnreachableError(this.failWith);
    const sessions = [...this.live].filter(([, s]) => s.databaseUser === grant.databaseUser).map(([id, s]) => ({ id, tag: s.tag }));
    const chosen = chooseSessions(sessions, grant);
    for (const id of chosen.terminated) this.live.delete(id);
    return chosen;
  }
}

const sessionKey = (s: Pick<SessionRecord, 'tenantId' | 'requestId' | 'sessionId'>) => [s.tenantId, s.requestId, s.sessionId].join('\u0000');

export class InMemoryIssuanceStore implements IssuanceStore {
  /** The events this store wrote (into the shared grant log), in order. */
  readonly events: LogEvent[] = [];
  readonly sessions = new Map<string, SessionRecord>();
  readonly dbSessions = new Map<string, DbSessionsRecord>();
  /** Makes every write fail as if DynamoDB were unreachable. */
  down = false;
  /** Runs just before the issuance is recorded: lets a test revoke the grant "meanwhile". */
  beforeRecord?: () => void;
  constructor(
    private readonly requests: RequestStore,
    readonly log = new InMemoryGrantLog(),
  ) {}

  private reachable(): void {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
  }
  private write(entry: LogEntry): void {
    this.events.push(...this.log.append([entry]));
  }
  async recordIssuance(request: ApprovedRequest, expectedVersion: number, entry: LogEntry, sessions: SessionRecord[], dbSessions?: DbSessionsRecord): Promise<void> {
    this.beforeRecord?.();
    this.reachable();
    const stored = await this.requests.get(request.tenantId, request.requestId);
    if (!stored || stored.status !== 'approved' || stored.version !== expectedVersion || stored.windowEnd <= entry.at) {
      throw new ConcurrentModificationError('The request');
    }
    // Like the real Put with attribute_not_exists: a session is recorded once.
    if (sessions.some((s) => this.sessions.has(sessionKey(s)))) throw new ConcurrentModificationError('The request');
    this.write(entry);
    for (const s of sessions) this.sessions.set(sessionKey(s), structuredClone(s));
    if (dbSessions) this.dbSessions.set(`${dbSessions.tenantId}\u0000${dbSessions.requestId}`, structuredClone(dbSessions));
  }
  async dbSessionsOf(tenantId: string, requestId: string): Promise<DbSessionsRecord | undefined> {
    const r = this.dbSessions.get(`${tenantId}\u0000${requestId}`);
    return r ? structuredClone(r) : undefined;
  }
  async recordDbSessionsAttempt(entry: LogEntry, next: DbSessionsRecord): Promise<void> {
    this.reachable();
    const key = `${next.tenantId}\u0000${next.requestId}`;
    const stored = this.dbSessions.get(key);
    // Like the real conditional Put: still due after the attempts this one followed.
    if (stored?.status !== 'due' || stored.attempts !== next.attempts - 1) throw new ConcurrentModificationError('The database sessions record');
    this.write(entry);
    this.dbSessions.set(key, structuredClone(next));
  }
  async recordFailure(entry: LogEntry): Promise<void> {
    this.reachable();
    this.write(entry);
  }
  async recordTermination(entry: LogEntry, sessions: SessionRecord[]): Promise<void> {
    this.reachable();
    if (sessions.some((s) => this.sessions.get(sessionKey(s))?.status !== 'active')) throw new ConcurrentModificationError('The SSM session');
    this.write(entry);
    for (const s of sessions) {
      const stored = this.sessions.get(sessionKey(s))!;
      this.sessions.set(sessionKey(s), { ...stored, status: 'terminated', terminatedAt: entry.at });
    }
  }
  async sessionsOf(tenantId: string, requestId: string): Promise<SessionRecord[]> {
    return [...this.sessions.values()]
      .filter((s) => s.tenantId === tenantId && s.requestId === requestId)
      .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0))
      .map((s) => structuredClone(s));
  }
  /** What the due index holds for the grants' database sessions (DynamoIssuanceStore: GSI3 while due). */
  *dueDbSessions(): Iterable<{ tenantId: string; requestId: string; deadline: string }> {
    for (const r of this.dbSessions.values()) if (r.status === 'due') yield { tenantId: r.tenantId, requestId: r.requestId, deadline: r.dueAt };
  }
  actions(): string[] {
    return this.events.map((e) => e.action);
  }
}
