import { Writable } from 'node:stream';
import type { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { LogAction } from '#shared/grant-log/events';
import type { LogFilter } from '#shared/audit/filter';
import type { Principal } from '#shared/kernel/principal';
import { listEvents } from '#shared/audit/query-events';
import { exportEvents } from '#shared/audit/export-events';
import { itemSize, type QueryCost } from './capacity.ts';
import { approvers, databaseUsers, requesters, targets, timeOf } from './grant-log-data.ts';

const pageSize = 100;
const runs = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The first page of each filter: median time over a few runs, and read cost per item returned against the floor. */
export async function benchFilters(reader: DynamoGrantLogReader, auditor: Principal, meter: { take(): QueryCost }, loaded: number): Promise<void> {
  const mid = timeOf(Math.floor(loaded / 2), loaded);
  const dayLater = new Date(Date.parse(mid) + 86_400_000).toISOString();
  const filters: [string, Omit<LogFilter, 'order'>][] = [
    ['tenant, newest', {}],
    ['requester', { requesterId: requesters[7]! }],
    ['target', { targetId: targets[3]! }],
    ['target + database user', { targetId: targets[3]!, databaseUser: databaseUsers[1]! }],
    ['actor (approver)', { actorId: approvers[2]! }],
    ['actor (system)', { actorId: 'latchkey' }],
    ['action', { action: LogAction.credentialsIssued }],
    ['time range (one day)', { from: mid, to: dayLater }],
    ['requester + action (filtered)', { requesterId: requesters[7]!, action: LogAction.requestApproved }],
    ['database user alone (filtered)', { databaseUser: databaseUsers[2]! }],
    ['requester + target (filtered)', { requesterId: requesters[7]!, targetId: targets[3]! }],
  ];
  console.log(`\nfirst page (${pageSize} events) per filter — median of ${runs} runs:`);
  console.log('  filter                             ms   page   read   RCU/item  floor/item  ratio  capacity');
  for (const [name, filter] of filters) {
    const times: number[] = [];
    let cost: QueryCost | undefined;
    let pageItems = 0;
    let pageBytes = 0;
    for (let run = 0; run < runs; run++) {
      meter.take();
      const t = performance.now();
      const page = await listEvents({ log: reader }, auditor, { filter: { ...filter, order: 'newest' }, limit: pageSize });
      times.push(performance.now() - t);
      cost = meter.take();
      pageItems = page.items.length;
      pageBytes = page.items.reduce((n, e) => n + itemSize(e), 0);
    }
    const c = cost!;
    const units = c.reported ?? c.computed;
    const perItem = pageItems ? units / pageItems : 0;
    // The floor: what one returned event's bytes cost in a Query of whole events, with no 4 KB rounding and no filtered-out reads.
    const meanSize = pageItems ? pageBytes / pageItems : 0;
    const floor = (meanSize / 4096) * 0.5;
    console.log(
      `  ${name.padEnd(30)} ${median(times).toFixed(1).padStart(8)} ${String(pageItems).padStart(6)} ${String(c.scanned).padStart(6)} ${perItem.toFixed(4).padStart(10)} ${floor.toFixed(4).padStart(11)} ${(floor ? perItem / floor : 0).toFixed(2).padStart(6)}  ${c.reported !== undefined ? 'reported' : 'computed'}`,
    );
  }
  console.log('  page = events returned to the auditor; read = events DynamoDB read (and bills) for them; floor = one event\'s bytes at 0.5 RCU per 4 KB, no rounding');
  console.log('  capacity "reported" = DynamoDB Local\'s ConsumedCapacity (eventually consistent); "computed" = from item sizes when it reports none');
}

/** Exports the oldest 100,000 events (or all, if fewer) as CSV and as JSON Lines to a discarding sink; time and peak RSS. */
export async function benchExport(reader: DynamoGrantLogReader, auditor: Principal, loaded: number): Promise<void> {
  const count = Math.min(100_000, loaded);
  const filter: LogFilter = { order: 'oldest', ...(loaded > count ? { to: timeOf(count + 1, loaded) } : {}) };
  console.log(`\nexport of ${count.toLocaleString('en')} events (pages of 1,000):`);
  for (const format of ['csv', 'ndjson'] as const) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    });
    const t = performance.now();
    const result = await exportEvents({ log: reader }, auditor, { filter, format, pageSize: 1000 }, sink);
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(
      `  ${format.padEnd(6)} ${result.events.toLocaleString('en')} events, ${mb(bytes)} MB in ${seconds.toFixed(1)} s (${Math.round(result.events / seconds).toLocaleString('en')} events/s); RSS ${mb(baseline)} → peak ${mb(peak)} MB (+${mb(peak - baseline)} MB)`,
    );
  }
}
