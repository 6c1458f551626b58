import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovedRequest } from '../../requests/access-request.ts';
import type { LogEntry } from '../../grant-log/events.ts';
import { ConcurrentModificationError } from '../../kernel/errors.ts';
import type { DbSessionsRecord, IssuanceStore, SessionRecord } from '../../minting/ports.ts';
import type { Tables } from './client.ts';
import { returnWinner, withoutKeys } from './items.ts';
import { mainKeys, mintingKeys } from './keys.ts';
import { requestConflict } from './request-store.ts';
import type { LogWriter } from './log-writer.ts';

const keyAttributes = ['PK', 'SK', 'GSI3PK', 'GSI3SK', 'entity'] as const;

/** In GSI3's due index only while due, so the sweeper finds it at dueAt and never after. */
const dbSessionsItem = (r: DbSessionsRecord) => ({
  ...mintingKeys.dbSessions(r.tenantId, r.requestId),
  ...(r.status === 'due' ? { GSI3PK: mainKeys.dueBucket(r.dueAt), GSI3SK: mainKeys.dueSort(r.dueAt, r.tenantId, r.requestId) } : {}),
  entity: 'db-sessions',
  ...r,
});

const fromItem = (item: Record<string, unknown>) => withoutKeys<SessionRecord>(item, keyAttributes);

/**
 * Issuances are events, not items: the `credentials.issued` event in the grant
 * log is the record. What is stored besides is the SSM sessions, so they can be
 * ended later. Every write goes through the LogWriter's one transaction.
 */
export class DynamoIssuanceStore implements IssuanceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly log: LogWriter,
  ) {}

  async recordIssuance(request: ApprovedRequest, expectedVersion: number, entry: LogEntry, sessions: SessionRecord[], dbSessions?: DbSessionsRecord): Promise<void> {
    await this.log.write(
      [
        {
          // Revoked, ended, extended or otherwise changed since it was read: nothing is written.
          ConditionCheck: {
            TableName: this.tables.main,
            Key: mainKeys.request(request.tenantId, request.requestId),
            ConditionExpression: '#status = :approved AND #version = :version AND windowEnd > :at',
            ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
            ExpressionAttributeValues: { ':approved': 'approved', ':version': expectedVersion, ':at': entry.at },
            ...returnWinner,
          },
        },
        ...sessions.map((s) => ({
          Put: {
            TableName: this.tables.main,
            Item: {
              ...mintingKeys.ssmSession(s.tenantId, s.requestId, s.sessionId),
              // Due at the window's end while active: the sweeper then ends it whatever
              // became of the grant, so a termination that failed on revoke is retried.
              GSI3PK: mainKeys.dueBucket(request.windowEnd),
              GSI3SK: mainKeys.dueSort(request.windowEnd, s.tenantId, s.requestId),
              entity: 'ssm-session',
              ...s,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })),
        // Each issuance of an open grant writes it afresh: due at the (possibly extended) window's end.
        ...(dbSessions ? [{ Put: { TableName: this.tables.main, Item: dbSessionsItem(dbSessions) } }] : []),
      ],
      [entry],
      // Index 0 is the request: what it became (revoked, extended, …) is what the caller lost to.
      (index, winner) => (index === 0 ? requestConflict(winner) : new ConcurrentModificationError('The request')),
    );
  }

  async recordFailure(entry: LogEntry): Promise<void> {
    await this.log.write([], [entry], () => new ConcurrentModificationError('The grant log'));
  }

  async recordTermination(entry: LogEntry, sessions: SessionRecord[]): Promise<void> {
    await this.log.write(
      sessions.map((s) => ({
        Update: {
          TableName: this.tables.main,
          Key: mintingKeys.ssmSession(s.tenantId, s.requestId, s.sessionId),
          // Only active sessions: two terminators racing write one event, not two.
          UpdateExpression: 'SET #status = :terminated, terminatedAt = :at REMOVE GSI3PK, GSI3SK',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':terminated': 'terminated', ':active': 'active', ':at': entry.at },
          ...returnWinner,
        },
      })),
      [entry],
      (_i, winner) => new ConcurrentModificationError('The SSM session', winner ? { current: fromItem(winner) } : {}),
    );
  }

  async dbSessionsOf(tenantId: string, requestId: string): Promise<DbSessionsRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: mintingKeys.dbSessions(tenantId, requestId), ConsistentRead: true }));
    return Item ? withoutKeys<DbSessionsRecord>(Item, keyAttributes) : undefined;
  }

  async recordDbSessionsAttempt(entry: LogEntry, next: DbSessionsRecord): Promise<void> {
    await this.log.write(
      [
        {
          Put: {
            TableName: this.tables.main,
            Item: dbSessionsItem(next),
            // Still due after the attempts this one followed: two terminators racing write one event, not two.
            ConditionExpression: '#status = :due AND attempts = :before',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':due': 'due', ':before': next.attempts - 1 },
            ...returnWinner,
          },
        },
      ],
      [entry],
      () => new ConcurrentModificationError('The database sessions record'),
    );
  }

  async sessionsOf(tenantId: string, requestId: string): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    const input = {
      TableName: this.tables.main,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': mainKeys.tenant(tenantId), ':prefix': mintingKeys.ssmSessionPrefix(requestId) },
      // Consistent: a revoke must end the session started a moment ago, not miss it.
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.db }, input)) out.push(...(page.Items ?? []).map(fromItem));
    return out.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  }
}
