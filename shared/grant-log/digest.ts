import { canonicalJson } from '../kernel/canonical-json.ts';
import { CHAIN_COUNT, type ChainHeads } from './chains.ts';
import { genesisHash } from './events.ts';

// Signed digests (CloudTrail-style): what a hash chain alone cannot give. Someone who can write
// the log table can recompute a chain after changing an event and move its head; they cannot make
// a digest signed earlier, with a KMS key whose private half never leaves KMS, agree with the
// result. A digest covers every one of a tenant's CHAIN_COUNT chains at one moment, and links to
// the digest before it, so removing or reordering digests shows too. Verified offline with the
// public key alone (verify-export.ts); docs/grant-log.md, "Signed digests".

/** The signing algorithms a digest may carry: KMS's names; verify-export.ts checks both with node:crypto. */
export const digestAlgorithms = ['ECDSA_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] as const;
export type DigestAlgorithm = (typeof digestAlgorithms)[number];

/** Every chain's head of one tenant at `at`, signed; a line of its own in a JSON Lines export. */
export type SignedDigest = {
  type: 'digest';
  v: 2;
  tenantId: string;
  at: string;
  /** All CHAIN_COUNT chains in chain order; a chain with no event yet is at seq 0 with the genesis hash. */
  heads: ChainHeads;
  /** The signature of the tenant's digest before this one; null for its first. */
  previous: string | null;
  /** The KMS key (ARN) that signed, and how. */
  keyId: string;
  algorithm: DigestAlgorithm;
  /** Base64 of the signature as KMS returns it (DER for ECDSA). */
  signature: string;
};

export type UnsignedDigest = Omit<SignedDigest, 'signature' | 'keyId' | 'algorithm'>;

/** Port: signs a message with the digest key (KMS Sign, MessageType RAW). */
export interface DigestSigner {
  /** The key's ARN, as configured: part of what is signed. */
  readonly keyId: string;
  readonly algorithm: DigestAlgorithm;
  sign(message: Buffer): Promise<Buffer>;
}

/** The exact bytes that are signed: canonical JSON of everything but the signature. */
export function digestMessage(digest: Omit<SignedDigest, 'signature'>): Buffer {
  const { v, tenantId, at, heads, previous, keyId, algorithm } = digest;
  return Buffer.from(canonicalJson({ v, tenantId, at, heads, previous, keyId, algorithm }), 'utf8');
}

/** All CHAIN_COUNT heads, in chain order, from the heads that exist. */
export function allHeads(stored: ChainHeads): ChainHeads {
  const byChain = new Map(stored.map((h) => [h.chain, h]));
  return Array.from({ length: CHAIN_COUNT }, (_, chain) => byChain.get(chain) ?? { chain, seq: 0, hash: genesisHash });
}

/** True when nothing was appended since `previous` was signed: no new digest is needed. */
export function sameHeads(a: ChainHeads, b: ChainHeads): boolean {
  return a.length === b.length && a.every((h, i) => h.chain === b[i]!.chain && h.seq === b[i]!.seq && h.hash === b[i]!.hash);
}

export async function signDigest(signer: DigestSigner, input: { tenantId: string; heads: ChainHeads; at: Date; previous?: SignedDigest }): Promise<SignedDigest> {
  const unsigned: UnsignedDigest = { type: 'digest', v: 2, tenantId: input.tenantId, at: input.at.toISOString(), heads: allHeads(input.heads), previous: input.previous?.signature ?? null };
  const named = { ...unsigned, keyId: signer.keyId, algorithm: signer.algorithm };
  const signature = await signer.sign(digestMessage(named));
  return { ...named, signature: signature.toString('base64') };
}
