import { randomBytes, randomUUID } from 'node:crypto';

// Identifiers shaped like AWS's, so code that logs, parses or length-checks
// them meets realistic values locally.
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Temporary access key id: `ASIA` + 16 upper-case alphanumerics (20 chars, as in AWS). */
export const temporaryAccessKeyId = (): string => `ASIA${randomFrom(UPPER_ALNUM, 16)}`;

/** Unique id of a role (`AROA…`) or user (`AIDA…`): prefix + 17 characters. */
export const roleUniqueId = (): string => `AROA${randomFrom(UPPER_ALNUM, 17)}`;
export const userUniqueId = (): string => `AIDA${randomFrom(UPPER_ALNUM, 17)}`;

/** 40 characters of base64, like an AWS secret access key. */
export const secretAccessKey = (): string => randomBytes(30).toString('base64');

/**
 * Session tokens in AWS are long opaque base64 blobs containing `+`, `/` and
 * `=`; keeping those characters here exercises URL-encoding in presigned URLs.
 */
export const sessionToken = (): string => `IQoJb3JpZ2luX2Vj${randomBytes(318).toString('base64')}`;

export const requestId = (): string => randomUUID();

/** SSM session ids are `<caller name>-<17 hex>`, e.g. `JohnDoe-1a2b3c4d5e0123456`. */
export const ssmSessionId = (callerName: string): string =>
  `${callerName}-${randomBytes(9).toString('hex').slice(0, 17)}`;

export const ssmTokenValue = (): string => randomBytes(96).toString('base64');
