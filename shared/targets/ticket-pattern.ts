import { ValidationError } from '../kernel/errors.ts';
import type { Policy } from './target.ts';

// A policy's ticket pattern is an admin-written regular expression run against
// requesters' reasons. It runs on RE2 (re2js, a port of Go's regexp): linear time in
// the input, no backtracking, so no pattern, however written, can stall a Lambda on a
// crafted reason. RE2 refuses what it cannot run in linear time (backreferences,
// lookaround), and we bound the rest: the pattern's length (policy schema, 200), the
// reason's (request schemas, 1000), and RE2 itself caps repetition counts at 1000.
//
// re2js is loaded on first use, not at import: only requests on a target with a pattern,
// and policies that set one, pay for it; every other cold start does not.

export const maxTicketPatternLength = 200;

type Re2 = typeof import('re2js').RE2JS;
let re2: Promise<Re2> | undefined;
const loadRe2 = () => (re2 ??= import('re2js').then((m) => m.RE2JS));

/** The compiled pattern, or why it cannot be one (RE2's message, which quotes only the pattern). */
async function compile(pattern: string): Promise<{ ok: true; regex: InstanceType<Re2> } | { ok: false; message: string }> {
  const RE2JS = await loadRe2();
  try {
    return { ok: true, regex: RE2JS.compile(pattern) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'is not a regular expression' };
  }
}

/** Refuses (400) a policy whose ticketPattern RE2 does not accept, or that matches the empty string (it would require nothing). */
export async function assertTicketPattern(policy: Pick<Policy, 'ticketPattern'>): Promise<void> {
  if (policy.ticketPattern === undefined) return;
  const compiled = await compile(policy.ticketPattern);
  const message = !compiled.ok
    ? `is not a regular expression RE2 accepts: ${compiled.message}`
    : compiled.regex.test('')
      ? 'matches an empty reason, so it would require nothing'
      : undefined;
  if (message) throw new ValidationError('The policy is not valid.', [{ path: 'policy.ticketPattern', message }]);
}

/** The first text of `reason` the pattern matches (the ticket reference), if any; an empty match is no ticket. */
export async function findTicket(pattern: string, reason: string): Promise<string | undefined> {
  const compiled = await compile(pattern);
  if (!compiled.ok) return undefined;
  const matcher = compiled.regex.matcher(reason);
  if (!matcher.find()) return undefined;
  const ticket = (matcher.group() ?? '').trim();
  return ticket === '' ? undefined : ticket.slice(0, 128);
}
