import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, LatchkeyError } from '../../kernel/errors.ts';
import { chainEvent, genesisHash, type LogEntry, type LogEvent } from '../../grant-log/events.ts';
import { logKeys } from './keys.ts';
import type { Tables } from './client.ts';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * Writes state items and their log events in ONE DynamoDB transaction, so neither
 * exists without the other. Each tenant's events form a hash chain whose head is
 * advanced with a condition on the sequence number it was read at; losing the
 * head to a concurrent writer is retried, losing a state condition is not.
 *
 * The head serialises a tenant's writes: each round of N concurrent writers lets
 * one through, so retries are bounded by time (well inside the Lambda timeout),
 * not by a count that a burst of writers in one tenant would exhaust. The
 * ceiling is one transaction at a time per tenant — tens of changes a second,
 * far above what people approving requests produce (see README, benchmarks).
 */
export class LogWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly budgetMs = 5_000,
  ) {}

  /**
   * @param stateItems the conditional main-table writes
   * @param onStateConflict maps a failed condition on stateItems[i] to a domain error
   */
  async write(
    stateItems: TransactItem[],
    entries: LogEntry[],
    onStateConflict: (index: number) => LatchkeyError,
  ): Promise<LogEvent[]> {
    const tenantId = entries[0]?.tenantId;
    if (!tenantId || entries.some((e) => e.tenantId !== tenantId)) throw new Error('A write logs one tenant at a time');

    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(tenantId);
      const events = this.chain(entries, head);
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...stateItems, ...this.eventPuts(events), this.headPut(tenantId, head, events)] }));
        return events;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const lost = reasons.slice(0, stateItems.length).findIndex((r) => r.Code === 'ConditionalCheckFailed');
        if (lost !== -1) throw onStateConflict(lost);
        // The chain head moved or another transaction held an item: read again and retry.
        if (Date.now() - started > this.budgetMs) throw new ConcurrentModificationError('The grant log', { cause: error });
        // Full jitter, capped low: the head is held for one transaction (milliseconds), not seconds.
        await sleep(Math.random() * Math.min(50, 5 * 2 ** attempt));
      }
    }
  }

  private async readHead(tenantId: string): Promise<{ seq: number; hash: string }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.log, Key: logKeys.head(tenantId), ConsistentRead: true }));
    return Item ? { seq: Item.seq as number, hash: Item.hash as string } : { seq: 0, hash: genesisHash };
  }

  private chain(entries: LogEntry[], head: { seq: number; hash: string }): LogEvent[] {
    const events: LogEvent[] = [];
    let prev = head.hash;
    entries.forEach((entry, i) => {
      const event = chainEvent(entry, head.seq + 1 + i, prev);
      events.push(event);
      prev = event.hash;
    });
    return events;
  }

  private eventPuts(events: LogEvent[]): TransactItem[] {
    return events.map((event) => ({
      Put: {
        TableName: this.tables.log,
        Item: {
          ...logKeys.event(event.tenantId, event.seq),
          // One key per auditor filter (see keys.ts); derived from the event, so verify can recompute them.
          ...logKeys.indexes(event),
          ...event,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }));
  }

  private headPut(tenantId: string, head: { seq: number }, events: LogEvent[]): TransactItem {
    const last = events[events.length - 1]!;
    return {
      Put: {
        TableName: this.tables.log,
        Item: { ...logKeys.head(tenantId), seq: last.seq, hash: last.hash, at: last.at },
        ConditionExpression: head.seq === 0 ? 'attribute_not_exists(PK)' : 'seq = :seq',
        ...(head.seq === 0 ? {} : { ExpressionAttributeValues: { ':seq': head.seq } }),
      },
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
