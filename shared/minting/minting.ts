import { PackedPolicyTooLargeError } from './errors.ts';

export { connectionInfo, tunnelInfo, RDS_CA_BUNDLE_URL, TOKEN_ENV } from './connection-info.ts';

// The STS side of one AssumeRole per issuance: how long the session lives and
// how much of STS's packed budget it may use. The session policy, name, tags and
// SourceIdentity it sends are IAM documents and names: shared/iam builds them.

export const MIN_SESSION_SECONDS = 900;
/** Role chaining (Lambda role → customer role) caps sessions at one hour. */
export const MAX_SESSION_SECONDS = 3600;

/** The window's remaining seconds, clamped to what STS accepts; the session policy cuts the excess off. */
export function durationSecondsFor(windowEnd: string | Date, now: Date): number {
  const remaining = Math.floor((new Date(windowEnd).getTime() - now.getTime()) / 1000);
  return Math.min(MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, remaining));
}

/** Above this share of STS's packed budget we stop: the next longer id would fail with PackedPolicyTooLarge. */
export const PACKED_SIZE_LIMIT = 90;

export function assertPackedSize(packedPolicySize: number | undefined): void {
  if (packedPolicySize !== undefined && packedPolicySize > PACKED_SIZE_LIMIT) throw new PackedPolicyTooLargeError(packedPolicySize, PACKED_SIZE_LIMIT);
}
