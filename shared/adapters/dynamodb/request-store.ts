import { QueryCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, ConcurrentModificationError } from '../../kernel/errors.ts';
import { BreakGlassLimitError } from '../../requests/errors.ts';
import { deadlineOf, type AccessRequest, type ApprovedRequest, type RequestStatus } from '../../requests/access-request.ts';
import type { Change } from '../../requests/transitions.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { BreakGlassQuota, DueRequest, Requester, RequestStore } from '../../requests/ports.ts';
import type { Tables } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { readerFor, readItems } from './item-reader.ts';
import { returnWinner, withoutKeys } from './items.ts';
import { mainKeys } from './keys.ts';
import type { LogWriter } from './log-writer.ts';

const keyAttributes = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'entity'] as const;

function toItem(request: AccessRequest): Record<string, unknown> {
  const deadline = deadlineOf(request);
  const sort = mainKeys.createdSort(request.createdAt, request.requestId);
  return {
    ...mainKeys.request(request.tenantId, request.requestId),
    GSI1PK: mainKeys.byRequester(request.tenantId, request.requesterKind, request.requesterId),
    GSI1SK: sort,
    GSI2PK: mainKeys.byStatus(request.tenantId, request.status),
    GSI2SK: sort,
    // Sparse: only requests the sweeper may have to act on are in GSI3.
    ...(deadline ? { GSI3PK: mainKeys.dueBucket(deadline), GSI3SK: mainKeys.dueSort(deadline, request.tenantId, request.requestId) } : {}),
    entity: 'request',
    ...request,
  };
}

export const fromItem = (item: Record<string, unknown>) => withoutKeys<AccessRequest>(item, keyAttributes);

/** The request a write lost to, as stored now; none when it no longer exists. */
export function requestConflict(winner: Record<string, unknown> | undefined): ConcurrentModificationError<AccessRequest> {
  const current = winner && fromItem(winner);
  return new ConcurrentModificationError('The request', current ? { current, currentVersion: current.version } : {});
}

export class DynamoRequestStore implements RequestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly log: LogWriter,
  ) {}

  /**
   * The request, and in the same BatchGetItem the head of its grant-log chain,
   * handed to the LogWriter: whatever change follows writes without reading the
   * head itself (one round trip fewer for every decision and issuance).
   */
  async get(tenantId: string, requestId: string): Promise<AccessRequest | undefined> {
    const head = this.log.headKey(tenantId, requestId);
    const [item, headItem] = await Promise.all([readerFor(this.db).get(this.tables.main, mainKeys.request(tenantId, requestId)), readerFor(this.db).get(head.table, head.key)]);
    if (!item) return undefined;
    this.log.prime(tenantId, head.chain, headItem);
    return fromItem(item);
  }

  async create(change: Change): Promise<void> {
    await this.log.write(
      [{ Put: { TableName: this.tables.main, Item: toItem(change.next), ConditionExpression: 'attribute_not_exists(PK)', ...returnWinner } }],
      change.entries,
      (_i, winner) => new AlreadyExistsError('A request with this id', { existingId: winner?.requestId as string | undefined }),
    );
  }

  async save(change: Change, expectedVersion: number): Promise<void> {
    await this.log.write(
      [
        {
          Put: {
            TableName: this.tables.main,
            Item: toItem(change.next),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ...returnWinner,
          },
        },
      ],
      change.entries,
      (_i, winner) => requestConflict(winner),
    );
  }

  /**
   * Three writes and the events, one transaction: the grant (new), its unreviewed
   * marker, and the person's count for the day, incremented only while below the
   * limit. Two opens at once either serialise (the second sees the first's count) or
   * one is cancelled by a TransactionConflict and LogWriter writes it again, re-checking
   * the condition; the limit is never passed.
   */
  async openBreakGlass(change: Change, quota: BreakGlassQuota): Promise<void> {
    const r = change.next;
    await this.log.write(
      [
        { Put: { TableName: this.tables.main, Item: toItem(r), ConditionExpression: 'attribute_not_exists(PK)', ...returnWinner } },
        { Put: { TableName: this.tables.main, Item: { ...mainKeys.unreviewed(r.tenantId, r.createdAt, r.requestId), entity: 'break-glass-unreviewed', requestId: r.requestId } } },
        {
          Update: {
            TableName: this.tables.main,
            Key: mainKeys.breakGlassDay(r.tenantId, quota.requester.kind, quota.requester.id, quota.day),
            UpdateExpression: 'ADD #opened :one SET entity = :entity',
            ConditionExpression: 'attribute_not_exists(#opened) OR #opened < :limit',
            ExpressionAttributeNames: { '#opened': 'opened' },
            ExpressionAttributeValues: { ':one': 1, ':limit': quota.limit, ':entity': 'break-glass-day' },
          },
        },
      ],
      change.entries,
      (index, winner) =>
        index === 2 ? new BreakGlassLimitError(quota.limit, quota.day) : new AlreadyExistsError('A request with this id', { existingId: winner?.requestId as string | undefined }),
    );
  }

  async saveReview(change: Change, expectedVersion: number): Promise<void> {
    const r = change.next;
    await this.log.write(
      [
        { Put: { TableName: this.tables.main, Item: toItem(r), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion }, ...returnWinner } },
        { Delete: { TableName: this.tables.main, Key: mainKeys.unreviewed(r.tenantId, r.createdAt, r.requestId) } },
      ],
      change.entries,
      (_i, winner) => requestConflict(winner),
    );
  }

  /** The markers (a Query on the tenant's partition), then the requests they name (BatchGetItem). */
  async listUnreviewed(tenantId: string, page: PageRequest): Promise<Page<AccessRequest>> {
    const pk = mainKeys.unreviewedPartition(tenantId);
    const scope = { partition: { name: 'PK', value: pk }, keys: ['PK', 'SK'], prefixes: [{ name: 'SK', prefix: mainKeys.unreviewedPrefix }] };
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.main,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': mainKeys.unreviewedPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, scope),
      }),
    );
    const ids = (result.Items ?? []).map((item) => String(item.requestId));
    const items = await readItems(this.db, this.tables.main, ids.map((id) => mainKeys.request(tenantId, id)));
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: items.filter((i): i is Record<string, unknown> => i !== undefined).map(fromItem), ...(nextCursor ? { nextCursor } : {}) };
  }

  listByRequester(tenantId: string, requester: Requester, page: PageRequest): Promise<Page<AccessRequest>> {
    return this.query(tenantId, 'GSI1', mainKeys.byRequester(tenantId, requester.kind, requester.id), page);
  }

  listByStatus(tenantId: string, status: RequestStatus, page: PageRequest): Promise<Page<AccessRequest>> {
    return this.query(tenantId, 'GSI2', mainKeys.byStatus(tenantId, status), page);
  }

  /**
   * The tenant's approved requests (GSI2, the status partition), kept to one target by a FilterExpression.
   * Approved requests are the open grants and those the sweeper has yet to end, so the partition stays small.
   */
  async listApprovedOnTarget(tenantId: string, targetId: string): Promise<ApprovedRequest[]> {
    const input = {
      TableName: this.tables.main,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      FilterExpression: 'targetId = :target',
      ExpressionAttributeValues: { ':pk': mainKeys.byStatus(tenantId, 'approved'), ':target': targetId },
    };
    const found: ApprovedRequest[] = [];
    for await (const page of paginateQuery({ client: this.db }, input)) {
      for (const item of page.Items ?? []) {
        const request = fromItem(item);
        if (request.status === 'approved' && request.tenantId === tenantId) found.push(request);
      }
    }
    return found;
  }

  private async query(tenantId: string, index: 'GSI1' | 'GSI2', partition: string, page: PageRequest): Promise<Page<AccessRequest>> {
    const partitionName = `${index}PK`;
    // The table key in an index cursor must be one of this tenant's requests too.
    const scope = {
      partition: { name: partitionName, value: partition },
      keys: [partitionName, `${index}SK`, 'PK', 'SK'],
      equal: [{ name: 'PK', value: mainKeys.tenant(tenantId) }],
      prefixes: [{ name: 'SK', prefix: 'REQ#' }],
    };
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.main,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionName },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, scope),
      }),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(fromItem), ...(nextCursor ? { nextCursor } : {}) };
  }

  async *listDue(until: Date, lookbackDays: number): AsyncIterable<DueRequest> {
    const bound = `${until.toISOString()}#~`;
    for (let day = lookbackDays; day >= 0; day--) {
      const bucket = mainKeys.dueBucket(new Date(until.getTime() - day * 86_400_000).toISOString());
      const input = {
        TableName: this.tables.main,
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :b AND GSI3SK <= :until',
        ExpressionAttributeValues: { ':b': bucket, ':until': bound },
      };
      for await (const page of paginateQuery({ client: this.db }, input)) {
        for (const item of page.Items ?? []) {
          const [deadline, tenantId, requestId] = String(item.GSI3SK).split('#') as [string, string, string];
          yield { tenantId, requestId, deadline };
        }
      }
    }
  }
}
