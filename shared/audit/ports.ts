import type { ChainHeads, LogEvent, SignedDigest } from '../grant-log/index.ts';
import type { LogFilter } from './filter.ts';
import type { Page, PageRequest } from '../kernel/ports.ts';

/** A chain's head as stored: its last seq and hash, advanced in the same transaction as each event. */
export type ChainHead = { seq: number; hash: string };

/**
 * One stored event as the chain walk sees it. `storedSeq` is the seq its
 * storage key says (which a tamperer may have made disagree with the body);
 * `keysMatch` is false when its index keys are not the ones its content implies
 * — an event re-keyed to vanish from a filter is tampering too.
 */
export type StoredLink = { storedSeq: number; event: LogEvent; keysMatch: boolean };

/** Reads the grant log. Every method is a Query on a key built for it; none scans. */
export interface GrantLogReader {
  /** Events matching the filter, ordered by (at, seq) in the filter's order. A page may hold fewer than `limit` when a filter is selective. */
  list(tenantId: string, filter: LogFilter, page: PageRequest): Promise<Page<LogEvent>>;
  /** Every event of one request, in seq order. */
  timeline(tenantId: string, requestId: string, page: PageRequest): Promise<Page<LogEvent>>;
  /** One chain's head (chains.ts), read strongly consistent. */
  head(tenantId: string, chain: number): Promise<ChainHead | undefined>;
  /** One chain's events in stored seq order from `fromSeq`, read strongly consistent. */
  chain(tenantId: string, chain: number, fromSeq: number): AsyncIterable<StoredLink>;
  /** One event by chain and seq (strongly consistent), to anchor a walk that starts mid-chain. */
  event(tenantId: string, chain: number, seq: number): Promise<StoredLink | undefined>;
  /** The newest `log.checkpoint` event: every chain's head as it was then. */
  latestCheckpoint(tenantId: string): Promise<LogEvent | undefined>;
}

/**
 * Where signed digests are kept (the log table, beside the chains): appended, never changed. Also the
 * heads they sign, read together.
 */
export interface DigestStore {
  /** Every chain's head of a tenant as stored now (chains with no event are absent). */
  heads(tenantId: string): Promise<ChainHeads>;
  /** The tenant's newest digest, read strongly consistent. */
  latest(tenantId: string): Promise<SignedDigest | undefined>;
  /** Appends a digest; false when one is already stored at its time (a concurrent run signed first). */
  append(digest: SignedDigest): Promise<boolean>;
  /** Digests in [from, to), oldest first, paged. */
  list(tenantId: string, range: { from?: string; to?: string }, page: PageRequest): Promise<Page<SignedDigest>>;
}

/** The tenants that have anything stored, for the scheduled digest run (no user request reads it). */
export interface TenantDirectory {
  tenants(): AsyncIterable<string>;
}

/** The digest key's public half, for auditors to verify offline. */
export type DigestPublicKey = { keyId: string; keySpec: string; signingAlgorithms: string[]; publicKeyPem: string };
export interface PublicKeySource {
  publicKey(): Promise<DigestPublicKey>;
}
