import { createHash } from 'node:crypto';

// What one AssumeRole per issuance names, computed purely from the grant.
// Every value STS constrains is made to fit here, deterministically, so the
// same grant always yields the same session name, SourceIdentity and tags —
// which is what lets a customer join CloudTrail to the grant log.

export type SessionTag = { key: string; value: string };

/** The grant fields a session is named and tagged after (an access request has them all). */
export type SessionSubject = { tenantId: string; requestId: string; requesterId: string; targetId: string; databaseUser: string };

const HASH_CHARS = 24; // 96 bits of sha256: collisions need ~2^48 distinct ids
/** Marks a value that was rewritten; values used as-is never contain it, so the mapping stays injective. */
const MARK = '=';
const sha = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex').slice(0, HASH_CHARS);

/**
 * `value` itself when every character is allowed, it is min..max long and holds
 * no MARK; otherwise a readable sanitized prefix, MARK and a sha256 suffix.
 */
function fitOrHash(value: string, allowedChar: RegExp, min: number, max: number): string {
  const chars = [...value];
  const fits = chars.length >= min && value.length <= max && !value.includes(MARK) && chars.every((c) => allowedChar.test(c));
  if (fits) return value;
  // Whole characters only, counted in UTF-16 units (never more than AWS counts), so no surrogate is cut in half.
  let prefix = '';
  for (const c of chars) {
    const kept = c !== MARK && allowedChar.test(c) ? c : '_';
    if (prefix.length + kept.length > max - HASH_CHARS - 1) break;
    prefix += kept;
  }
  return `${prefix}${MARK}${sha(value)}`;
}

const nameChar = /^[\w+=,.@-]$/; // RoleSessionName and SourceIdentity: [\w+=,.@-]
const tagChar = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]$/u;

/** RoleSessionName: names the request, 2–64 of `[\w+=,.@-]`; shows up in the assumed-role ARN and SSM session ids. */
export function sessionNameFor(request: Pick<SessionSubject, 'requestId'>): string {
  return fitOrHash(`lk-${request.requestId}`, nameChar, 2, 64);
}

/**
 * SourceIdentity: the requester, 2–64 of `[A-Za-z0-9_.,+=@-]`. Ids that fit are
 * kept (emails usually do); others (`auth0|abc`, role ARNs, 300-char ids) map
 * to a sanitized prefix + `=` + sha256. It cannot start with `aws:` (no colon survives).
 */
export function sourceIdentityFor(requesterId: string): string {
  return fitOrHash(requesterId, nameChar, 2, 64);
}

export const TAG_KEYS = {
  tenant: 'latchkey:tenant',
  request: 'latchkey:request',
  requester: 'latchkey:requester',
  target: 'latchkey:target',
  databaseUser: 'latchkey:db-user',
} as const;
/** AWS allows 256 per value; tags count against the packed-policy budget, so ours stay well under it. */
export const TAG_VALUE_BUDGET = 128;

/** Session tags for ABAC and CloudTrail. Never the reason: free text is neither safe nor bounded. */
export function sessionTagsFor(request: SessionSubject): SessionTag[] {
  const value = (v: string) => fitOrHash(v, tagChar, 0, TAG_VALUE_BUDGET);
  return [
    { key: TAG_KEYS.tenant, value: value(request.tenantId) },
    { key: TAG_KEYS.request, value: value(request.requestId) },
    { key: TAG_KEYS.requester, value: value(request.requesterId) },
    { key: TAG_KEYS.target, value: value(request.targetId) },
    { key: TAG_KEYS.databaseUser, value: value(request.databaseUser) },
  ];
}
