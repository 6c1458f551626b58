import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, string>;
type Pending = { table: string; key: Key; resolve: (item: Record<string, unknown> | undefined) => void; reject: (error: unknown) => void };

/**
 * Strongly consistent GetItems, merged: every `get` asked in the same tick goes
 * out as ONE BatchGetItem (up to 100 keys, across tables). A use case that needs
 * a request and its chain's head, or a target and its integration, pays one
 * round trip for each pair instead of two; the capacity is the same.
 */
export class ItemReader {
  private queue: Pending[] = [];

  constructor(private readonly db: DynamoDBDocumentClient) {}

  get(table: string, key: Key): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => void this.flush());
      this.queue.push({ table, key, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, 100);
    if (this.queue.length) queueMicrotask(() => void this.flush());
    try {
      const found = new Map<string, Record<string, unknown>>();
      let request: Record<string, { Keys: Key[]; ConsistentRead: true }> | undefined = {};
      // Consistent: a use case decides on what it reads (issuing right after an approve must see
      // the approval), and a stale chain head is a transaction certain to fail.
      // BatchGetItem refuses a key asked twice: callers asking for the same item share one answer.
      const asked = new Set<string>();
      for (const p of batch) {
        if (asked.has(id(p.table, p.key))) continue;
        asked.add(id(p.table, p.key));
        (request[p.table] ??= { Keys: [], ConsistentRead: true }).Keys.push(p.key);
      }
      // UnprocessedKeys are asked again until none are left (throttling, or a response over 16 MB).
      while (request && Object.keys(request).length) {
        const answer: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, unknown> } = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        const { Responses, UnprocessedKeys } = answer;
        for (const [table, items] of Object.entries(Responses ?? {})) for (const item of items) found.set(id(table, item), item);
        request = UnprocessedKeys && Object.keys(UnprocessedKeys).length ? (UnprocessedKeys as typeof request) : undefined;
      }
      for (const p of batch) p.resolve(found.get(id(p.table, p.key)));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}

const id = (table: string, item: Record<string, unknown>) => `${table}\u0000${String(item.PK)}\u0000${String(item.SK)}`;

const readers = new WeakMap<DynamoDBDocumentClient, ItemReader>();

/** One reader per client, shared by every store on it: a target and its integration, read at once, are one BatchGetItem. */
export function readerFor(db: DynamoDBDocumentClient): ItemReader {
  let reader = readers.get(db);
  if (!reader) readers.set(db, (reader = new ItemReader(db)));
  return reader;
}

/**
 * The items at `keys` of one table, in the order asked (undefined where none is):
 * BatchGetItems of up to 100 keys, in parallel, UnprocessedKeys asked again.
 * Eventually consistent (half the RCU), for keys an index just returned: a key
 * the replica read does not have yet is read once more, strongly consistent,
 * so an item the index already shows is never missed.
 */
/** How many times one BatchGetItem chunk is asked before its unprocessed keys fail the read. */
export const MAX_BATCH_ATTEMPTS = 8;

export async function readItems(db: DynamoDBDocumentClient, table: string, keys: Key[]): Promise<(Record<string, unknown> | undefined)[]> {
  const found = await batchRead(db, table, keys, false);
  const missing = keys.filter((k) => !found.has(id(table, k)));
  if (missing.length) for (const [k, item] of await batchRead(db, table, missing, true)) found.set(k, item);
  return keys.map((k) => found.get(id(table, k)));
}

async function batchRead(db: DynamoDBDocumentClient, table: string, keys: Key[], consistent: boolean): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(keys.map((k) => [id(table, k), k])).values()];
  const chunks = Array.from({ length: Math.ceil(unique.length / 100) }, (_, i) => unique.slice(i * 100, i * 100 + 100));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Key[] = chunk;
      for (let attempt = 0; pending.length; attempt++) {
        // Bounded: sustained throttling fails the read (a logged 500) instead of spinning until the gateway's timeout.
        if (attempt === MAX_BATCH_ATTEMPTS) throw new Error(`BatchGetItem on ${table} left ${pending.length} keys unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
        // Unprocessed keys mean throttling (or a response over 16 MB): back off before asking again.
        if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
        const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistent } } }));
        for (const item of Responses?.[table] ?? []) found.set(id(table, item), item);
        pending = (UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
      }
    }),
  );
  return found;
}
