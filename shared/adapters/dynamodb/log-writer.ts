import type { CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentModificationError, LatchkeyError } from '../../kernel/errors.ts';
import { chainEvent, checkpointEntry, genesisHash, type LogEntry, type LogEvent } from '../../grant-log/events.ts';
import { CHAIN_COUNT, CHECKPOINT_EVERY, chainOf, chainOfRequest, type ChainHeads } from '../../grant-log/chains.ts';
import { logItemOf, logKeys } from './keys.ts';
import type { Tables } from './client.ts';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** A chain's head as stored: its last seq, hash and time. */
export type StoredHead = { seq: number; hash: string; at: string };

const emptyHead: StoredHead = { seq: 0, hash: genesisHash, at: '' };
const primeFreshMs = 2_000;

/**
 * Writes state items and their log events in ONE DynamoDB transaction, so neither
 * exists without the other. The events extend the hash chain their content names
 * (chains.ts), whose head is put with a condition on the seq it was read at.
 *
 * Losing the head to a concurrent writer of the same chain is retried from the
 * head DynamoDB returns with the failure (ALL_OLD), not from a re-read; losing a
 * state condition is not retried here (the domain error carries the item that
 * won). Retries are bounded by time, well inside the Lambda timeout.
 *
 * `at` never goes backwards along a chain: an entry stamped before a head that
 * a concurrent writer moved later is stamped at the head's time.
 */
export class LogWriter {
  /** Heads read by a caller's BatchGet just before its write (prime), used once and only while fresh. */
  private readonly primed = new Map<string, { head: StoredHead; at: number }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly budgetMs = 5_000,
  ) {}

  /** The key a caller adds to its own BatchGet so the write needs no read of its own (see prime). */
  headKey(tenantId: string, requestId: string): { table: string; key: Record<string, string>; chain: number } {
    const chain = chainOfRequest(requestId);
    return { table: this.tables.log, key: logKeys.head(tenantId, chain), chain };
  }

  /** Hands over a head item the caller read (or its absence) for the next write to that chain. */
  prime(tenantId: string, chain: number, item: Record<string, unknown> | undefined): void {
    // A read not followed by a write leaves its head here: keep the map small, a warm container serves many tenants.
    if (this.primed.size >= 256) this.primed.clear();
    this.primed.set(`${tenantId}#${chain}`, { head: headOf(item), at: Date.now() });
  }

  /**
   * @param stateItems the conditional main-table writes
   * @param onStateConflict maps a failed condition on stateItems[i] (with the item that won, when DynamoDB returned it) to a domain error
   */
  async write(
    stateItems: TransactItem[],
    entries: LogEntry[],
    onStateConflict: (index: number, current?: Record<string, unknown>) => LatchkeyError,
  ): Promise<LogEvent[]> {
    const first = entries[0];
    if (!first) throw new Error('A write logs at least one entry');
    const { tenantId } = first;
    const chain = chainOf(first);
    if (entries.some((e) => e.tenantId !== tenantId || chainOf(e) !== chain)) throw new Error('A write logs one chain of one tenant at a time');

    const started = Date.now();
    let head = await this.headFor(tenantId, chain);
    for (let attempt = 1; ; attempt++) {
      const events = chainFrom(entries, head);
      const headIndex = stateItems.length + events.length;
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...stateItems, ...this.eventPuts(events), this.headPut(tenantId, chain, head, events)] }));
        const last = events.at(-1)!;
        if (Math.floor(last.seq / CHECKPOINT_EVERY) > Math.floor(head.seq / CHECKPOINT_EVERY) && last.action !== 'log.checkpoint') await this.checkpointAfter(tenantId, last.at);
        return events;
      } catch (error) {
        // By name: lib-dynamodb may load another copy of client-dynamodb (CJS beside ESM), so instanceof can miss.
        if (!isCancellation(error)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const lost = reasons.slice(0, stateItems.length).findIndex((r) => r.Code === 'ConditionalCheckFailed');
        if (lost !== -1) throw onStateConflict(lost, itemOf(reasons[lost]));
        if (Date.now() - started > this.budgetMs) throw new ConcurrentModificationError('The grant log', { cause: error });
        // The chain's head moved: DynamoDB handed back the one that won. Anything
        // else (a transaction conflict, or a returned head no newer than the one
        // tried, as DynamoDB Local can hand back under concurrency) is read again.
        const moved = reasons[headIndex];
        const returned = moved?.Code === 'ConditionalCheckFailed' && moved.Item ? headOf(unmarshall(moved.Item)) : undefined;
        if (returned && returned.seq > head.seq) {
          // The winner has committed and we hold its head: go again at once, no wait, no read.
          head = returned;
        } else {
          // The winner may still be in flight: full jitter, capped low (a head is held for one transaction, milliseconds), then read.
          await sleep(Math.random() * Math.min(20, 2 * 2 ** attempt));
          head = await this.readHead(tenantId, chain);
        }
      }
    }
  }

  /**
   * Records every chain's head in the log itself. Written after each
   * CHECKPOINT_EVERY events of a chain, so a chain whose tail is cut off
   * and whose head is moved back disagrees with the last checkpoint.
   */
  async checkpoint(tenantId: string, at: string): Promise<void> {
    const keys = Array.from({ length: CHAIN_COUNT }, (_, chain) => logKeys.head(tenantId, chain));
    // Eventually consistent: a head a moment old is still a state the chain was in, which is all a checkpoint claims.
    const { Responses, UnprocessedKeys } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tables.log]: { Keys: keys } } }));
    // A checkpoint missing heads it could not read (throttled) would replace a fuller one: skip it, the next covers it.
    if (UnprocessedKeys?.[this.tables.log]?.Keys?.length) throw new Error('checkpoint skipped: some chain heads were left unread');
    const items = Responses?.[this.tables.log] ?? [];
    const heads: ChainHeads = items.map((item) => ({ chain: Number(String(item.PK).slice(-2)), seq: item.seq as number, hash: item.hash as string })).sort((a, b) => a.chain - b.chain);
    const entry = checkpointEntry(tenantId, heads, new Date(at));
    // The checkpoint's own chain is one of the 32 just read: its write needs no read of its own.
    const own = chainOf(entry);
    this.prime(tenantId, own, items.find((item) => item.PK === logKeys.chain(tenantId, own)));
    await this.write([], [entry], () => new ConcurrentModificationError('The grant log'));
  }

  /** The change is committed whatever becomes of its checkpoint: a lost one is covered by the next. */
  private async checkpointAfter(tenantId: string, at: string): Promise<void> {
    try {
      await this.checkpoint(tenantId, at);
    } catch {
      // Nothing to undo and nobody to tell here; verify reports how old the last checkpoint is.
    }
  }

  private async headFor(tenantId: string, chain: number): Promise<StoredHead> {
    const key = `${tenantId}#${chain}`;
    const primed = this.primed.get(key);
    this.primed.delete(key);
    // Stale is only slower (the head condition fails and returns the real one), never wrong; fresh saves a read.
    return primed && Date.now() - primed.at < primeFreshMs ? primed.head : this.readHead(tenantId, chain);
  }

  private async readHead(tenantId: string, chain: number): Promise<StoredHead> {
    // Consistent: a stale head is a transaction certain to fail on the head's condition.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.log, Key: logKeys.head(tenantId, chain), ConsistentRead: true }));
    return headOf(Item);
  }

  private eventPuts(events: LogEvent[]): TransactItem[] {
    return events.map((event) => ({
      Put: {
        TableName: this.tables.log,
        // Its keys (one per auditor filter, derived from the event, so verify can recompute them) and the fields no key spells (keys.ts).
        Item: logItemOf(event),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }));
  }

  private headPut(tenantId: string, chain: number, head: StoredHead, events: LogEvent[]): TransactItem {
    const last = events.at(-1)!;
    return {
      Put: {
        TableName: this.tables.log,
        Item: { ...logKeys.head(tenantId, chain), seq: last.seq, hash: last.hash, at: last.at, HEADDIR: logKeys.headDirectory },
        ConditionExpression: head.seq === 0 ? 'attribute_not_exists(PK)' : 'seq = :seq',
        ...(head.seq === 0 ? {} : { ExpressionAttributeValues: { ':seq': head.seq } }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }
}

/** Chains the entries onto the head, none stamped earlier than the head. */
function chainFrom(entries: LogEntry[], head: StoredHead): LogEvent[] {
  const events: LogEvent[] = [];
  let prev = head.hash;
  let floor = head.at;
  entries.forEach((entry, i) => {
    const at = entry.at < floor ? floor : entry.at;
    const event = chainEvent({ ...entry, at }, head.seq + 1 + i, prev);
    events.push(event);
    prev = event.hash;
    floor = at;
  });
  return events;
}

function headOf(item: Record<string, unknown> | undefined): StoredHead {
  return item ? { seq: item.seq as number, hash: item.hash as string, at: (item.at as string | undefined) ?? '' } : emptyHead;
}

function itemOf(reason: CancellationReason | undefined): Record<string, unknown> | undefined {
  return reason?.Item ? unmarshall(reason.Item) : undefined;
}

const isCancellation = (error: unknown): error is TransactionCanceledException => (error as { name?: string } | undefined)?.name === 'TransactionCanceledException';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
