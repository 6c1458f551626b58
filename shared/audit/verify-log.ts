import { CHAIN_COUNT, ChainWalker, chainStart, recomputeHash, type BrokenLink, type ChainAnchor, type ChainHeads } from '../grant-log/index.ts';
import { canAudit } from './filter.ts';
import type { Principal } from '../kernel/principal.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import type { GrantLogReader } from './ports.ts';

export type VerifyInput = { fromChain?: number; fromSeq?: number; limit?: number };
export type ChainBrokenLink = BrokenLink & { chain: number };
export type VerifyReport = {
  ok: boolean;
  /** How many chains the tenant's log has, and how many events this call checked and linked. */
  chains: number;
  checked: number;
  /** False when `limit` stopped the walk before the end: call again from `next`. */
  complete: boolean;
  next?: { chain: number; seq: number };
  /** The checkpoint every chain was checked against (the newest). */
  checkpoint?: { at: string };
  brokenLink?: ChainBrokenLink;
};

export const defaultVerifyLimit = 20_000;

/**
 * Verify a tenant's grant log, chain by chain (chains.ts):
 * 1. read the newest checkpoint: every chain must still reach the head it recorded, with that hash;
 * 2. for each chain from `fromChain`: read its head (strongly consistent), anchor the walk
 *    (the genesis hash, or the stored event before `fromSeq`, itself re-hashed), walk its
 *    events in seq order and stop at the first broken link — modified, deleted, inserted,
 *    or a tail cut off below its head or the checkpoint;
 * 3. after each chain, read its head again: nothing may sit beyond it.
 * Cost is linear in the events; a walk stopped by `limit` is incomplete, not broken.
 */
export async function verifyLog(deps: { log: GrantLogReader }, principal: Principal, input: VerifyInput = {}): Promise<VerifyReport> {
  if (!canAudit(principal)) throw new ForbiddenError('Only auditors and admins can verify the grant log.');
  const tenantId = principal.tenantId;
  const limit = input.limit ?? defaultVerifyLimit;
  const checkpointEvent = await deps.log.latestCheckpoint(tenantId);
  const recorded = new Map(((checkpointEvent?.details?.heads ?? []) as ChainHeads).map((h) => [h.chain, { seq: h.seq, hash: h.hash }]));
  let checked = 0;
  const report = (rest: Partial<VerifyReport>): VerifyReport => ({
    ok: rest.brokenLink === undefined,
    chains: CHAIN_COUNT,
    checked,
    complete: true,
    ...(checkpointEvent ? { checkpoint: { at: checkpointEvent.at } } : {}),
    ...rest,
  });

  for (let chain = input.fromChain ?? 0; chain < CHAIN_COUNT; chain++) {
    const fromSeq = chain === input.fromChain ? (input.fromSeq ?? 1) : 1;
    const headBefore = await deps.log.head(tenantId, chain);
    const anchored = await anchor(deps.log, tenantId, chain, fromSeq);
    if ('brokenLink' in anchored) return report({ brokenLink: { chain, ...anchored.brokenLink } });
    const walker = new ChainWalker(anchored, headBefore, recorded.get(chain));
    for await (const link of deps.log.chain(tenantId, chain, fromSeq)) {
      if (checked >= limit) return report({ complete: false, next: { chain, seq: walker.lastSeq + 1 } });
      const broken = walker.check(link);
      if (broken) return report({ brokenLink: { chain, ...broken } });
      checked += 1;
    }
    const broken = walker.finish(await deps.log.head(tenantId, chain));
    if (broken) return report({ brokenLink: { chain, ...broken } });
  }
  return report({});
}

async function anchor(log: GrantLogReader, tenantId: string, chain: number, fromSeq: number): Promise<ChainAnchor | { brokenLink: BrokenLink }> {
  if (fromSeq <= 1) return chainStart;
  const seq = fromSeq - 1;
  const link = await log.event(tenantId, chain, seq);
  if (!link) return { brokenLink: { seq, kind: 'deleted', message: `Seq ${seq}, where this walk starts from, is missing.` } };
  if (link.event.seq !== seq || recomputeHash(link.event) !== link.event.hash || !link.keysMatch) {
    return { brokenLink: { seq, kind: 'modified', message: `Seq ${seq}, where this walk starts from, was changed after it was written.` } };
  }
  return { seq, hash: link.event.hash };
}
