import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Slack's request signing, version 0 ("Verifying requests from Slack"): X-Slack-Signature is `v0=` and the hex
// HMAC-SHA256, keyed by the app's signing secret, of `v0:<X-Slack-Request-Timestamp>:<raw body>`. Requests older or
// newer than five minutes are refused, so a captured request cannot be replayed later; within the window
// the replay guard (InteractionGuard.firstUse) refuses a second use of one signature.

export const slackTimestampWindowSeconds = 5 * 60;

export type SignedRequest = { rawBody: string; timestamp: string | undefined; signature: string | undefined };
export type SignatureVerdict = 'ok' | 'bad_signature' | 'stale_timestamp';

export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function verifySlackSignature(secret: string, request: SignedRequest, now: Date): SignatureVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return 'bad_signature';
  const expected = Buffer.from(slackSignature(secret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  // Constant time, and only when the lengths match (timingSafeEqual throws otherwise).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) > slackTimestampWindowSeconds ? 'stale_timestamp' : 'ok';
}

/** What the replay guard remembers of a signature: its digest, never the signature itself. */
export const signatureDigest = (signature: string) => createHash('sha256').update(signature).digest('hex');
