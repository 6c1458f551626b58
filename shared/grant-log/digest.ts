import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../kernel/canonical-json.ts';

// Signed digests of the chain head (CloudTrail-style): what a hash chain alone
// cannot give. Someone who can write the log table can recompute the whole chain
// after a change; they cannot make a digest signed earlier — with a key they do
// not hold, stored where they cannot write — agree with it. See docs/grant-log.md.

/** The chain head of one tenant at `at`, linked to the digest before it by its signature. */
export type ChainDigest = {
  tenantId: string;
  seq: number;
  hash: string;
  at: string;
  /** The previous digest's signature; null for a tenant's first. Removing a digest breaks this link. */
  previous: string | null;
  keyId: string;
  signature: string;
};

/** Signs and checks digest payloads. In AWS: KMS (Sign/Verify or GenerateMac/VerifyMac); locally: HMAC. */
export interface DigestSigner {
  readonly keyId: string;
  sign(payload: string): Promise<string>;
  verify(payload: string, signature: string): Promise<boolean>;
}

export type DigestFinding = { at: string; seq: number; problem: 'signature' | 'sequence' | 'missing' | 'rewritten'; message: string };

export function digestPayload(digest: Omit<ChainDigest, 'signature'>): string {
  const { tenantId, seq, hash, at, previous, keyId } = digest;
  return canonicalJson({ v: 1, tenantId, seq, hash, at, previous, keyId });
}

export async function signDigest(signer: DigestSigner, input: { tenantId: string; head: { seq: number; hash: string }; at: Date; previous?: ChainDigest }): Promise<ChainDigest> {
  const unsigned = { tenantId: input.tenantId, seq: input.head.seq, hash: input.head.hash, at: input.at.toISOString(), previous: input.previous?.signature ?? null, keyId: signer.keyId };
  return { ...unsigned, signature: await signer.sign(digestPayload(unsigned)) };
}

/** HMAC-SHA256 with a local secret: for the local stack and tests. The secret must live apart from the log's writers. */
export function hmacDigestSigner(keyId: string, secret: string | Buffer): DigestSigner {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    keyId,
    sign: async (payload) => mac(payload).toString('base64url'),
    verify: async (payload, signature) => {
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/**
 * Checks a tenant's digests, oldest first: each is authentic, links to the one
 * before, and the stored event at its seq still has the hash it signed. Returns
 * the first finding. A chain recomputed after a change passes the walk in
 * verify-log but fails here at the first digest at or after the change.
 */
export async function checkDigests(
  signer: DigestSigner,
  digests: ChainDigest[],
  storedHash: (seq: number) => Promise<string | undefined>,
): Promise<DigestFinding | undefined> {
  let before: ChainDigest | undefined;
  for (const digest of digests) {
    const { signature, ...unsigned } = digest;
    const where = { at: digest.at, seq: digest.seq };
    if (digest.keyId !== signer.keyId || !(await signer.verify(digestPayload(unsigned), signature))) {
      return { ...where, problem: 'signature', message: `The digest of ${digest.at} is not signed by key ${signer.keyId}.` };
    }
    if (before && (digest.previous !== before.signature || digest.seq < before.seq || digest.tenantId !== before.tenantId)) {
      return { ...where, problem: 'sequence', message: `The digest of ${digest.at} does not follow the digest of ${before.at}: one was removed or reordered.` };
    }
    const hash = await storedHash(digest.seq);
    if (hash === undefined) return { ...where, problem: 'missing', message: `Seq ${digest.seq}, signed at ${digest.at}, is missing.` };
    if (hash !== digest.hash) {
      return { ...where, problem: 'rewritten', message: `Seq ${digest.seq} no longer has the hash signed at ${digest.at}: the chain was rewritten at or before it.` };
    }
    before = digest;
  }
  return undefined;
}
