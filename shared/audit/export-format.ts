import type { LogEvent } from '../grant-log/index.ts';

// Export formats of the grant log. JSON Lines is the faithful one (every field,
// one event per line, re-hashable offline); CSV is for spreadsheets, so it also
// defuses cells a spreadsheet would run as a formula.

export type ExportFormat = 'csv' | 'ndjson';
export const exportContentType: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const columns = ['seq', 'at', 'action', 'outcome', 'actorId', 'actorKind', 'requesterId', 'requestId', 'targetId', 'databaseUser', 'reason', 'ticket', 'breakGlass', 'details', 'prevHash', 'hash'] as const;

/**
 * One RFC 4180 field. A field with a comma, a double quote, CR or LF is quoted and
 * its quotes doubled. A field a spreadsheet would evaluate (leading = + - @, tab or
 * CR — OWASP's CSV-injection list) gets a leading apostrophe first: reasons are
 * typed by requesters, and an auditor opening the export must not run them.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const crlf = '\r\n';

export function csvHeader(): string {
  return columns.join(',') + crlf;
}

/** The free text of an event, whichever field its action keeps it in. */
function reasonOf(event: LogEvent): unknown {
  return event.details?.reason ?? event.details?.note;
}

export function csvRow(event: LogEvent): string {
  const cells = columns.map((column) => {
    if (column === 'reason') return csvField(reasonOf(event));
    if (column === 'details') return csvField(event.details);
    return csvField(event[column]);
  });
  return cells.join(',') + crlf;
}

/** JSON escapes CR and LF inside strings, so one event is always exactly one `\n`-terminated line. */
export function ndjsonLine(event: LogEvent): string {
  return JSON.stringify(event) + '\n';
}

/** A page of export lines; the CSV header belongs to the first page only, so pages concatenate into one file. */
export function formatPage(events: LogEvent[], format: ExportFormat, first: boolean): string {
  if (format === 'ndjson') return events.map(ndjsonLine).join('');
  return (first ? csvHeader() : '') + events.map(csvRow).join('');
}
