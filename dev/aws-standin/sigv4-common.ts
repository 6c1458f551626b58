import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigningCredential } from './model.ts';

// Pieces shared by header-signed requests and presigned URLs.

export type SigV4FailureCode =
  | 'missing-authentication'
  | 'incomplete-signature'
  | 'wrong-scope'
  | 'unknown-access-key'
  | 'invalid-session-token'
  | 'signature-mismatch'
  | 'signature-expired'
  | 'expired-token';

export type SigV4Result<C extends SigningCredential> =
  | { ok: true; credential: C; accessKeyId: string; region: string; service: string; signedAt: Date }
  | { ok: false; code: SigV4FailureCode; message: string };

export const fail = (code: SigV4FailureCode, message: string): { ok: false; code: SigV4FailureCode; message: string } => ({
  ok: false,
  code,
  message,
});

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

export function parseScope(credential: string): CredentialScope | undefined {
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || !terminator || rest.length > 0) return undefined;
  return { accessKeyId, date, region, service, terminator };
}

/** `20260101T000000Z` → Date; undefined when not in that exact form. */
export function parseAmzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const amzDate = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function scopeProblem(scope: CredentialScope, expected: { service: string; region?: string }, signedAt: Date): string | undefined {
  if (scope.terminator !== 'aws4_request') return "Credential should be scoped with a valid terminator: 'aws4_request'.";
  if (scope.service !== expected.service) return `Credential should be scoped to correct service: '${expected.service}'.`;
  if (expected.region !== undefined && scope.region !== expected.region) return 'Credential should be scoped to a valid region.';
  const day = amzDate(signedAt).slice(0, 8);
  if (scope.date !== day) return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${day}'.`;
  return undefined;
}

/** Session token presence and equality: an ASIA key is only valid with its own token. */
export function sessionTokenMatches(credential: SigningCredential, presented: string | undefined): boolean {
  if (credential.sessionToken === undefined) return presented === undefined;
  return presented !== undefined && constantTimeEqual(presented, credential.sessionToken);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function signerFor(credential: SigningCredential, scope: CredentialScope): SignatureV4 {
  return new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      ...(credential.sessionToken !== undefined && { sessionToken: credential.sessionToken }),
    },
    sha256: Sha256,
    // S3 is the one service that signs the path without double-encoding it.
    uriEscapePath: scope.service !== 's3',
    // Never invent an x-amz-content-sha256 header the client did not send.
    applyChecksum: false,
  });
}

export function expiredTokenProblem(credential: SigningCredential, now: Date): string | undefined {
  return credential.expiration && credential.expiration.getTime() <= now.getTime()
    ? 'The security token included in the request is expired'
    : undefined;
}

/**
 * Decodes a raw query string into SigV4's query map. Parsed by hand because
 * URLSearchParams turns a literal '+' into a space; undefined when malformed.
 */
export function parseQueryString(raw: string): Record<string, string | string[]> | undefined {
  const query: Record<string, string | string[]> = {};
  try {
    for (const pair of raw.split('&')) {
      if (!pair) continue;
      const [rawKey = '', rawValue = ''] = pair.split(/=(.*)/s);
      const [key, value] = [decodeURIComponent(rawKey), decodeURIComponent(rawValue)];
      const prior = query[key];
      query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
  } catch {
    return undefined;
  }
  return query;
}
