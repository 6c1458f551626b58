import { describe, expect, it } from 'vitest';
import { chainEvent, genesisHash } from '#shared/grant-log/events';
import { csvField, csvHeader, csvRow, formatPage, ndjsonLine } from '#shared/audit/export-format';
import { parseCsv } from '../../support/csv.ts';

const event = (reason: string) =>
  chainEvent(
    { tenantId: 'acme', at: '2026-11-24T09:00:00.000Z', action: 'request.created', actorId: 'alice', actorKind: 'user', outcome: 'success', requesterId: 'alice', details: { reason } },
    1,
    genesisHash,
  );

describe('CSV fields (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['crlf\r\nbreak', '"crlf\r\nbreak"'],
    ['trailing space ', 'trailing space '],
    ['ünïcødé ✓', 'ünïcødé ✓'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('defuses the spreadsheet formula %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are, absent values as empty and objects as JSON', () => {
    expect([csvField(12), csvField(undefined), csvField(null), csvField({ a: 1, b: 'x,y' })]).toEqual(['12', '', '', '"{""a"":1,""b"":""x,y""}"']);
  });
});

describe('export pages', () => {
  it('puts the free-text reason in its own column and ends every record in CRLF', () => {
    const rows = parseCsv(csvHeader() + csvRow(event('a, "b"\nc')));
    expect(rows[1]![rows[0]!.indexOf('reason')]).toBe('a, "b"\nc');
    expect(csvRow(event('x')).endsWith('\r\n')).toBe(true);
  });

  it('writes the CSV header on the first page only', () => {
    expect(formatPage([event('x')], 'csv', true).startsWith('seq,')).toBe(true);
    expect(formatPage([event('x')], 'csv', false).startsWith('1,')).toBe(true);
  });

  it('writes one JSON line per event whatever its text holds', () => {
    const e = event('line\nbreak\r\nand \u2028 separator');
    const line = ndjsonLine(e);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual(e);
  });
});
