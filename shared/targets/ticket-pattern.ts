import { RE2JS } from 're2js';

// A policy's ticket pattern is an admin-written regular expression run against
// requesters' reasons. It runs on RE2 (re2js, a port of Go's regexp): linear time in
// the input, no backtracking, so no pattern, however written, can stall a Lambda on a
// crafted reason. RE2 refuses what it cannot run in linear time (backreferences,
// lookaround), and we bound the rest: the pattern's length here, the reason's in the
// request schemas (1000 characters), and RE2 itself caps repetition counts at 1000.

export const maxTicketPatternLength = 200;

/** The compiled pattern, or why it cannot be one (RE2's message, which quotes only the pattern). */
export function compileTicketPattern(pattern: string): { ok: true; regex: RE2JS } | { ok: false; message: string } {
  try {
    return { ok: true, regex: RE2JS.compile(pattern) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'is not a regular expression' };
  }
}

/** The first text of `reason` the pattern matches (the ticket reference), if any; an empty match is no ticket. */
export function findTicket(pattern: string, reason: string): string | undefined {
  const compiled = compileTicketPattern(pattern);
  if (!compiled.ok) return undefined;
  const matcher = compiled.regex.matcher(reason);
  if (!matcher.find()) return undefined;
  const ticket = (matcher.group() ?? '').trim();
  return ticket === '' ? undefined : ticket.slice(0, 128);
}
