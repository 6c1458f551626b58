import { GetCommand, QueryCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../kernel/errors.ts';
import type { LogEvent } from '../../grant-log/events.ts';
import { filterBinding, normalizeFilter, type LogFilter } from '../../audit/filter.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { ChainHead, GrantLogReader, StoredLink } from '../../audit/ports.ts';
import type { Tables } from './client.ts';
import { decodeLogCursor, encodeLogCursor, type KeyCheck } from './log-cursor.ts';
import { planLogQuery, timeSortAttribute } from './log-query-plan.ts';
import { logEventOf, logKeys } from './keys.ts';
import { readItems } from './item-reader.ts';
import { chainOf, chainOfRequest } from '../../grant-log/index.ts';

const eventSk = /^EV#(\d{12})$/;
const atSeq = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#(\d{2})#(\d{12})$/;
/** A filtered page stops after reading this many events, returning what it found and a cursor, so one selective query cannot run into the API's timeout. */
const maxEvaluatedPerPage = 5_000;

/** An item back to the event it stores (keys.ts, logEventOf): the key attributes are the store's, not the event's. */
export const eventFromItem = (item: Record<string, unknown>): LogEvent => logEventOf(item) as LogEvent;

function storedLink(item: Record<string, unknown>): StoredLink {
  const event = eventFromItem(item);
  const match = eventSk.exec(String(item.SK));
  const keyedAs = (expected: Record<string, string>) => logKeys.keyAttributes.every((name) => name === 'PK' || name === 'SK' || item[name] === expected[name]);
  // Keyed as events are written now, or as they were before (keys.ts, legacyIndexes): both follow from the content alone.
  const keysMatch = keyedAs(logKeys.indexes(event)) || keyedAs(logKeys.legacyIndexes(event));
  // In the chain its content names, too: an event moved to another chain is re-keyed.
  return { storedSeq: match ? Number(match[1]) : Number.NaN, event, keysMatch: keysMatch && item.PK === logKeys.chain(event.tenantId, chainOf(event)) };
}

export class DynamoGrantLogReader implements GrantLogReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async list(tenantId: string, filter: LogFilter, page: PageRequest): Promise<Page<LogEvent>> {
    const f = normalizeFilter(filter);
    if (f.from !== undefined && f.to !== undefined && f.from >= f.to) throw new ValidationError('`from` must be before `to`.');
    const plan = planLogQuery(tenantId, f);
    const binding = filterBinding(tenantId, 'events', f);
    const inRange = (v: string) => atSeq.test(v) && (f.from === undefined || v >= f.from) && (f.to === undefined || v < f.to);
    const chainPrefix = `${logKeys.tenant(tenantId)}#C#`;
    const expected: Record<string, KeyCheck> = {
      PK: (v) => v.startsWith(chainPrefix) && /^\d{2}$/.test(v.slice(chainPrefix.length)),
      SK: (v) => eventSk.test(v),
      [timeSortAttribute]: inRange,
      [plan.partition.name]: plan.partition.value,
    };
    let start: Record<string, unknown> | undefined = decodeLogCursor(page.cursor, binding, expected);
    if (start && `${String(start.PK).slice(-2)}#${String(start.SK).slice(3)}` !== String(start[timeSortAttribute]).slice(-15)) throw new ValidationError('The cursor is not valid.');

    const names: Record<string, string> = { '#pk': plan.partition.name, '#ts': timeSortAttribute };
    const values: Record<string, unknown> = { ':pk': plan.partition.value };
    let condition = '#pk = :pk';
    if (f.from !== undefined) values[':from'] = f.from;
    if (f.to !== undefined) values[':to'] = f.to;
    // `to` is exclusive for free: every sort value is at#seq, so none equals the bare instant.
    if (f.from !== undefined && f.to !== undefined) condition += ' AND #ts BETWEEN :from AND :to';
    else if (f.from !== undefined) condition += ' AND #ts >= :from';
    else if (f.to !== undefined) condition += ' AND #ts < :to';
    else delete names['#ts'];
    const filters = plan.residual.map(({ name, value }, i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });

    // Index entries (keys and the filterable attributes, infra/tables.yml), fetched back as events below.
    const items: Record<string, unknown>[] = [];
    let evaluated = 0;
    let lastKept: Record<string, unknown> | undefined;
    while (items.length < page.limit) {
      const want = page.limit - items.length;
      // Unfiltered, read exactly what the page needs. Filtered, read ahead by the
      // selectivity seen so far (+10%), then cut and key the cursor on the last
      // kept event: fewer round trips, and little read past the cut to pay twice.
      const selectivity = (items.length + 1) / (evaluated + 1);
      const limit = filters.length ? Math.min(1000, Math.max(want, Math.ceil((want / (evaluated ? selectivity : 0.5)) * 1.1))) : want;
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tables.log,
          IndexName: plan.index,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ScanIndexForward: f.order === 'oldest',
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      );
      evaluated += result.ScannedCount ?? 0;
      for (const item of result.Items ?? []) {
        if (items.length === page.limit) return this.page(await this.events(items), binding, keyOf(lastKept!, plan.partition.name));
        items.push(item);
        lastKept = item;
      }
      start = result.LastEvaluatedKey;
      if (!start || evaluated >= maxEvaluatedPerPage) break;
    }
    return this.page(await this.events(items), binding, start);
  }

  async timeline(tenantId: string, requestId: string, page: PageRequest): Promise<Page<LogEvent>> {
    const partition = logKeys.requestTimeline(tenantId, requestId);
    const binding = filterBinding(tenantId, 'timeline', { requestId });
    const start = decodeLogCursor(page.cursor, binding, {
      GSI1PK: partition,
      PK: logKeys.chain(tenantId, chainOfRequest(requestId)),
      SK: (v) => eventSk.test(v),
    });
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.log,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: true,
        Limit: page.limit,
        ExclusiveStartKey: start,
      }),
    );
    return this.page(await this.events(result.Items ?? []), binding, result.LastEvaluatedKey);
  }

  async head(tenantId: string, chain: number): Promise<ChainHead | undefined> {
    // Consistent: verify compares the walk with the head before and after it; a stale head would turn appended events into findings.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.log, Key: logKeys.head(tenantId, chain), ConsistentRead: true }));
    return Item ? { seq: Item.seq as number, hash: Item.hash as string } : undefined;
  }

  async event(tenantId: string, chain: number, seq: number): Promise<StoredLink | undefined> {
    // Consistent: a missing anchor is reported as a deleted event, so "not there yet" must not happen.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.log, Key: logKeys.event(tenantId, chain, seq), ConsistentRead: true }));
    return Item ? storedLink(Item) : undefined;
  }

  async *chain(tenantId: string, chain: number, fromSeq: number): AsyncIterable<StoredLink> {
    // Up to `EV#~`, not begins_with on digits: an item slipped in under a malformed
    // EV# key is walked (and named), not silently skipped. HEAD sorts after it.
    const input: QueryCommandInput = {
      TableName: this.tables.log,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': logKeys.chain(tenantId, chain), ':from': logKeys.event(tenantId, chain, fromSeq).SK, ':to': `${logKeys.eventPrefix}~` },
      // Consistent: the walk must see every event up to the head read before it, or a gap would read as a deletion.
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client: this.db }, input)) {
      for (const item of page.Items ?? []) yield storedLink(item);
    }
  }

  async latestCheckpoint(tenantId: string): Promise<LogEvent | undefined> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.log,
        IndexName: 'GSI6',
        KeyConditionExpression: 'GSI6PK = :pk',
        ExpressionAttributeValues: { ':pk': logKeys.byAction(tenantId, 'log.checkpoint') },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items?.[0] ? (await this.events(Items.slice(0, 1)))[0] : undefined;
  }

  /** A page's index entries back to whole events, by their table keys, in the page's order: one BatchGetItem (per 100). */
  private async events(entries: Record<string, unknown>[]): Promise<LogEvent[]> {
    const items = await readItems(this.db, this.tables.log, entries.map((e) => ({ PK: String(e.PK), SK: String(e.SK) })));
    // An entry whose event is gone (it cannot be: no role deletes) is left out rather than shown half.
    return items.flatMap((item) => (item ? [eventFromItem(item)] : []));
  }

  private page(items: LogEvent[], binding: string, next: Record<string, unknown> | undefined): Page<LogEvent> {
    const nextCursor = encodeLogCursor(binding, next);
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }
}

/** The start key DynamoDB would have returned had the page stopped at this item. */
function keyOf(item: Record<string, unknown>, partitionName: string): Record<string, unknown> {
  return { PK: item.PK, SK: item.SK, [timeSortAttribute]: item[timeSortAttribute], [partitionName]: item[partitionName] };
}
