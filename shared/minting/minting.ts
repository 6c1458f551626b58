import { createHash } from 'node:crypto';
import { PackedPolicyTooLargeError } from './errors.ts';
import type { AccessRequest } from '../requests/index.ts';

import { PORT_FORWARDING_DOCUMENT } from '../iam/index.ts';

export { connectionInfo, tunnelInfo, RDS_CA_BUNDLE_URL, TOKEN_ENV } from './connection-info.ts';
export { PORT_FORWARDING_DOCUMENT } from '../iam/index.ts';

// What one AssumeRole per issuance sends, computed purely from the grant.
// Every value STS constrains is made to fit here, deterministically, so the
// same grant always yields the same session name, SourceIdentity and tags —
// which is what lets a customer join CloudTrail to the grant log.

export type SessionTag = { key: string; value: string };

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
export function sessionNameFor(request: Pick<AccessRequest, 'requestId'>): string {
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
export function sessionTagsFor(request: Pick<AccessRequest, 'tenantId' | 'requestId' | 'requesterId' | 'targetId' | 'databaseUser'>): SessionTag[] {
  const value = (v: string) => fitOrHash(v, tagChar, 0, TAG_VALUE_BUDGET);
  return [
    { key: TAG_KEYS.tenant, value: value(request.tenantId) },
    { key: TAG_KEYS.request, value: value(request.requestId) },
    { key: TAG_KEYS.requester, value: value(request.requesterId) },
    { key: TAG_KEYS.target, value: value(request.targetId) },
    { key: TAG_KEYS.databaseUser, value: value(request.databaseUser) },
  ];
}

export const MIN_SESSION_SECONDS = 900;
/** Role chaining (Lambda role → customer role) caps sessions at one hour. */
export const MAX_SESSION_SECONDS = 3600;

/** The window's remaining seconds, clamped to what STS accepts; the session policy cuts the excess off. */
export function durationSecondsFor(windowEnd: string | Date, now: Date): number {
  const remaining = Math.floor((new Date(windowEnd).getTime() - now.getTime()) / 1000);
  return Math.min(MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, remaining));
}

/** IAM date conditions take ISO 8601 to the second; rounding down keeps the cut at or before the window's end. */
export const awsTime = (at: string | Date): string => new Date(Math.floor(new Date(at).getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

export type SessionPolicyInput = {
  region: string;
  accountId: string;
  resourceId: string;
  databaseUser: string;
  windowEnd: string | Date;
  ssm?: { instanceId: string };
};

type Statement = { Sid: string; Effect: 'Allow'; Action: string; Resource: string | string[]; Condition: Record<string, Record<string, string>> };
export type PolicyDocument = { Version: '2012-10-17'; Statement: Statement[] };

/**
 * SSM tags each session with its starter's `aws:userid` (role id + session
 * name), so this lets a session end only what the same session name started.
 * `session/${aws:username}-*` works for IAM users only; this is the form the SSM
 * User Guide gives for federated and assumed-role callers ("Additional sample IAM
 * policies for Session Manager", example 4), and the one the stand-in evaluates.
 */
function terminateOwnSessions(region: string, accountId: string, until: string): Statement {
  return {
    Sid: 'EndOwnSessions',
    Effect: 'Allow',
    Action: 'ssm:TerminateSession',
    Resource: `arn:aws:ssm:${region}:${accountId}:session/*`,
    Condition: { DateLessThan: { 'aws:CurrentTime': until }, StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
  };
}

/** The narrowing session policy: one dbuser and, when asked, one instance and document; nothing past the window. */
export function sessionPolicyDocument(input: SessionPolicyInput): PolicyDocument {
  const until = awsTime(input.windowEnd);
  const before = { DateLessThan: { 'aws:CurrentTime': until } };
  const { region, accountId } = input;
  const statements: Statement[] = [
    {
      Sid: 'Connect',
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: `arn:aws:rds-db:${region}:${accountId}:dbuser:${input.resourceId}/${input.databaseUser}`,
      Condition: before,
    },
  ];
  if (input.ssm) {
    statements.push(
      {
        Sid: 'Tunnel',
        Effect: 'Allow',
        Action: 'ssm:StartSession',
        // AWS-owned documents have an empty account field in their ARN.
        Resource: [`arn:aws:ec2:${region}:${accountId}:instance/${input.ssm.instanceId}`, `arn:aws:ssm:${region}::document/${PORT_FORWARDING_DOCUMENT}`],
        Condition: before,
      },
      terminateOwnSessions(region, accountId, until),
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Compact JSON: STS counts policy bytes against the packed-size budget. */
export const sessionPolicyFor = (input: SessionPolicyInput): string => JSON.stringify(sessionPolicyDocument(input));

/** For ending a grant's sessions after revocation or window end: only TerminateSession on its own sessions, briefly. */
export function terminationPolicyFor(input: { region: string; accountId: string; until: string | Date }): string {
  const doc: PolicyDocument = { Version: '2012-10-17', Statement: [terminateOwnSessions(input.region, input.accountId, awsTime(input.until))] };
  return JSON.stringify(doc);
}

/** Above this share of STS's packed budget we stop: the next longer id would fail with PackedPolicyTooLarge. */
export const PACKED_SIZE_LIMIT = 90;

export function assertPackedSize(packedPolicySize: number | undefined): void {
  if (packedPolicySize !== undefined && packedPolicySize > PACKED_SIZE_LIMIT) throw new PackedPolicyTooLargeError(packedPolicySize, PACKED_SIZE_LIMIT);
}
