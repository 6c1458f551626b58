import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantLogReader } from '#shared/adapters/dynamodb/grant-log-reader';
import { recomputeHash } from '#shared/grant-log/verify-chain';
import type { LogEvent } from '#shared/grant-log/events';
import { exportEventsPage } from '#shared/audit/query-events';
import { exportEvents } from '#shared/audit/export-events';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { parseCsv } from '../support/csv.ts';
import { auditor, logEntry, writeEntries } from '../support/grant-log.ts';

const stores = dynamoStores();
const deps = { log: new DynamoGrantLogReader(stores.db, stores.tables) };
const at = (m: number) => new Date(Date.UTC(2026, 10, 24, 9, m)).toISOString();

// Free text as requesters type it, including what breaks naive CSV and what a spreadsheet would execute.
const reasons = [
  'plain',
  'comma, inside',
  'a "quoted" word',
  'two\nlines',
  'windows\r\nline end',
  '=HYPERLINK("http://evil.example","click")',
  '@SUM(A1)',
  'ünïcødé — ✓',
  '',
];

let tenant: string;
let events: LogEvent[];

/** A slow sink with a tiny buffer: the exporter must wait for 'drain' rather than pile pages up. */
function sink(): { stream: Writable; text: () => string; peakBuffered: () => number } {
  const chunks: string[] = [];
  let peak = 0;
  const stream = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      setTimeout(done, 1);
    },
  });
  const origWrite = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    const ok = origWrite(chunk);
    peak = Math.max(peak, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  return { stream, text: () => chunks.join(''), peakBuffered: () => peak };
}

beforeAll(async () => {
  tenant = freshTenant('export');
  events = await writeEntries(
    stores.log,
    reasons.map((reason, i) => logEntry(tenant, { at: at(i), ...(reason ? { details: { reason, durationMinutes: 30 } } : {}) })),
  );
});

describe('exporting the grant log', () => {
  it('writes CSV that an RFC 4180 parser reads back field for field, header once, across pages', async () => {
    const out = sink();
    const result = await exportEvents(deps, auditor(tenant), { filter: { order: 'oldest' }, format: 'csv', pageSize: 2 }, out.stream);
    expect(result).toEqual({ events: reasons.length, pages: 5 });

    const [header, ...rows] = parseCsv(out.text());
    expect(header).toEqual(['seq', 'at', 'action', 'outcome', 'actorId', 'actorKind', 'requesterId', 'requestId', 'targetId', 'databaseUser', 'reason', 'ticket', 'breakGlass', 'details', 'prevHash', 'hash']);
    expect(rows).toHaveLength(reasons.length);
    const column = (name: string) => rows.map((r) => r[header!.indexOf(name)]);
    expect(column('seq')).toEqual(events.map((e) => String(e.seq)));
    expect(column('hash')).toEqual(events.map((e) => e.hash));
    // Formula-looking text is defused with a leading apostrophe; everything else comes back verbatim.
    expect(column('reason')).toEqual(reasons.map((r) => (/^[=@]/.test(r) ? `'${r}` : r)));
    expect(JSON.parse(column('details')[3]!)).toEqual({ durationMinutes: 30, reason: 'two\nlines' });
    expect(out.text().endsWith('\r\n')).toBe(true);
  });

  it('writes JSON Lines that round-trip to the stored events, each still re-hashable offline', async () => {
    const out = sink();
    await exportEvents(deps, auditor(tenant), { filter: { order: 'newest' }, format: 'ndjson', pageSize: 4 }, out.stream);
    const lines = out.text().split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((l) => JSON.parse(l) as LogEvent);
    expect(parsed).toEqual([...events].reverse());
    for (const event of parsed) expect(recomputeHash(event)).toBe(event.hash);
  });

  it('holds back while the sink is full instead of buffering the whole export', async () => {
    const out = sink();
    await exportEvents(deps, auditor(tenant), { filter: { order: 'oldest' }, format: 'ndjson', pageSize: 1 }, out.stream);
    const onePage = Math.max(...out.text().split('\n').map((l) => l.length + 1));
    expect(out.peakBuffered()).toBeLessThanOrEqual(onePage);
  });

  it('serves one HTTP page at a time: the header on the first only, a cursor to the next', async () => {
    const first = await exportEventsPage(deps, auditor(tenant), { filter: { order: 'oldest' }, format: 'csv', limit: 4 });
    expect(first.contentType).toMatch(/^text\/csv/);
    expect(first.text.startsWith('seq,at,action')).toBe(true);
    expect(first.nextCursor).toBeDefined();
    const second = await exportEventsPage(deps, auditor(tenant), { filter: { order: 'oldest' }, format: 'csv', limit: 4, cursor: first.nextCursor! });
    expect(second.text.startsWith('5,')).toBe(true);
    const joined = parseCsv(first.text + second.text);
    expect(joined.slice(1).map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);

    const ndjson = await exportEventsPage(deps, auditor(tenant), { filter: { order: 'oldest' }, format: 'ndjson', limit: 100 });
    expect(ndjson.contentType).toMatch(/^application\/x-ndjson/);
    expect(ndjson.nextCursor).toBeUndefined();
    expect(ndjson.text.trimEnd().split('\n')).toHaveLength(reasons.length);
  });
});
