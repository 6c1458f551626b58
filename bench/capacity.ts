import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Read-cost accounting for the bench. DynamoDB bills a Query by the total size of
// the items it READ (before any FilterExpression), rounded up to 4 KB, at 0.5 RCU
// per 4 KB for an eventually consistent read. DynamoDB Local may not report
// ConsumedCapacity; when it does not, the bench computes the same figure from
// item sizes, and says which it printed.

export type QueryCost = { reported?: number; computed: number; scanned: number; returned: number; bytesRead: number };

/** An item's size by DynamoDB's rules: names + values; numbers ~1 byte per 2 digits + 1; maps/lists 3 bytes + 1 per element. */
export function itemSize(value: unknown, top = true): number {
  if (top) return Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + Buffer.byteLength(k) + itemSize(v, false), 0);
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce<number>((n, v) => n + 1 + itemSize(v, false), 0);
  if (typeof value === 'object') return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + itemSize(v, false), 0);
  return 0;
}

export const rcuFor = (bytes: number) => Math.ceil(bytes / 4096) * 0.5;

/**
 * Wraps the client so every Query (and the BatchGetItem that fetches its events
 * back) asks for ConsumedCapacity and every result is costed. Items filtered out are not returned, so their bytes are estimated as
 * (scanned − returned) × the mean returned size.
 */
export function meterQueries(db: DynamoDBDocumentClient): { take(): QueryCost } {
  let cost: QueryCost = { computed: 0, scanned: 0, returned: 0, bytesRead: 0 };
  const send = db.send.bind(db) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  (db as unknown as { send: typeof send }).send = async (command, ...rest) => {
    const name = (command as object).constructor.name;
    const isQuery = name === 'QueryCommand';
    // A page's events come back by their keys (no log index holds whole events): that read is part of its cost.
    const isFetch = name === 'BatchGetCommand';
    if (isQuery || isFetch) (command as { input: Record<string, unknown> }).input.ReturnConsumedCapacity = 'TOTAL';
    const result = (await send(command, ...rest)) as { Items?: Record<string, unknown>[]; Responses?: Record<string, Record<string, unknown>[]>; ScannedCount?: number; ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
    if (isFetch) {
      const items = Object.values(result.Responses ?? {}).flat();
      // BatchGetItem bills each item on its own, rounded up to 4 KB (eventually consistent: 0.5 RCU).
      cost.computed += items.reduce((n, i) => n + rcuFor(itemSize(i)), 0);
      const consumed = result.ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      if (consumed !== undefined) cost.reported = (cost.reported ?? 0) + units;
    }
    if (isQuery) {
      const items = result.Items ?? [];
      const returnedBytes = items.reduce((n, i) => n + itemSize(i), 0);
      const scanned = result.ScannedCount ?? items.length;
      const bytes = returnedBytes + (items.length ? (scanned - items.length) * (returnedBytes / items.length) : 0);
      cost.bytesRead += bytes;
      cost.computed += rcuFor(bytes);
      cost.scanned += scanned;
      cost.returned += items.length;
      const units = (result.ConsumedCapacity as { CapacityUnits?: number } | undefined)?.CapacityUnits;
      if (units !== undefined) cost.reported = (cost.reported ?? 0) + units;
    }
    return result;
  };
  return {
    take() {
      const taken = cost;
      cost = { computed: 0, scanned: 0, returned: 0, bytesRead: 0 };
      return taken;
    },
  };
}
