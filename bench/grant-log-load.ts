import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { benchEvents, itemOf } from './grant-log-data.ts';

export type LoadResult = { loaded: number; lastHash: string; lastAt: string; seconds: number; capped: boolean };

const perRequest = 25; // BatchWriteItem's maximum
const inFlight = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length; attempt++) {
    if (attempt) await sleep(Math.min(1000, 20 * 2 ** attempt));
    const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}

/**
 * Loads up to `requested` events with parallel BatchWriteItem and prints the rate.
 * At 5% of the load (or 40 s) it projects the whole load from the rate since 1%; if that exceeds the
 * budget it lowers the target to what fits (rounded down to 10,000) and says so.
 */
export async function loadEvents(db: DynamoDBDocumentClient, table: string, requested: number, budgetMs: number): Promise<LoadResult> {
  const started = Date.now();
  let target = requested;
  let written = 0;
  let projected = false;
  let warm: { at: number; written: number } | undefined;
  let lastHash = '';
  let lastAt = '';
  let lastReport = started;
  const pending = new Set<Promise<void>>();

  outer: for (const events of benchEvents(requested)) {
    for (let i = 0; i < events.length; i += perRequest) {
      if (written >= target) break outer;
      const chunk = events.slice(i, Math.min(i + perRequest, i + target - written));
      written += chunk.length;
      lastHash = chunk.at(-1)!.hash;
      lastAt = chunk.at(-1)!.at;
      const write = batchWrite(db, table, chunk.map(itemOf)).finally(() => pending.delete(write));
      pending.add(write);
      if (pending.size >= inFlight) await Promise.race(pending);
    }
    const elapsed = Date.now() - started;
    // The rate is taken between 1% and 5% of the load, past the JVM's and SQLite's warm-up.
    if (!warm && (written >= requested * 0.01 || elapsed > 10_000)) warm = { at: Date.now(), written };
    // Both marks can fall in one batch of a small load: project only from real progress since the first.
    if (warm && !projected && written > warm.written && (written >= requested * 0.05 || elapsed > 40_000)) {
      projected = true;
      const rate = (written - warm.written) / Math.max(0.001, (Date.now() - warm.at) / 1000);
      const wholeSeconds = requested / rate;
      console.log(`  load rate ≈ ${Math.round(rate).toLocaleString('en')} events/s → ${requested.toLocaleString('en')} events would take ${(wholeSeconds / 60).toFixed(1)} min`);
      if (wholeSeconds * 1000 > budgetMs) {
        target = Math.max(written, Math.floor((rate * budgetMs) / 1000 / 10_000) * 10_000);
        console.log(`  that exceeds the ${budgetMs / 1000} s budget: loading ${target.toLocaleString('en')} events instead`);
      }
    }
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      console.log(`  … ${written.toLocaleString('en')} events, ${Math.round(written / ((Date.now() - started) / 1000)).toLocaleString('en')} events/s`);
    }
  }
  await Promise.all(pending);
  const seconds = (Date.now() - started) / 1000;
  console.log(`loaded ${written.toLocaleString('en')} events in ${seconds.toFixed(1)} s (${Math.round(written / seconds).toLocaleString('en')} events/s, ${inFlight}×${perRequest}-item BatchWriteItem in flight)`);
  return { loaded: written, lastHash, lastAt, seconds, capped: target < requested };
}
