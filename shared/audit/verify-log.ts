import { ChainWalker, chainStart, recomputeHash, type BrokenLink, type ChainAnchor } from '../grant-log/index.ts';
import { canAudit } from './filter.ts';
import type { Principal } from '../kernel/principal.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import type { ChainHead, GrantLogReader } from './ports.ts';

export type VerifyInput = { fromSeq?: number; limit?: number };
export type VerifyReport = {
  ok: boolean;
  fromSeq: number;
  /** The last seq that was checked and linked. */
  lastSeq: number;
  checked: number;
  /** False when `limit` stopped the walk before the end: call again from `nextFromSeq`. */
  complete: boolean;
  nextFromSeq?: number;
  head?: ChainHead;
  brokenLink?: BrokenLink;
};

export const defaultVerifyLimit = 20_000;

/**
 * Verify a tenant's hash chain:
 * 1. read the chain head (strongly consistent) — every seq up to it must be walked;
 * 2. anchor the walk: the genesis hash, or the stored event just before `fromSeq`
 *    (itself re-hashed, so a later call continues a chain an earlier call checked);
 * 3. walk the events in seq order (base table, Query on PK, SK EV#seq) and stop at
 *    the first broken link: modified, deleted or inserted;
 * 4. at the end, read the head again: nothing may sit beyond it.
 * A walk stopped by `limit` is incomplete, not broken.
 */
export async function verifyLog(deps: { log: GrantLogReader }, principal: Principal, input: VerifyInput = {}): Promise<VerifyReport> {
  if (!canAudit(principal)) throw new ForbiddenError('Only auditors and admins can verify the grant log.');
  const tenantId = principal.tenantId;
  const fromSeq = input.fromSeq ?? 1;
  const limit = input.limit ?? defaultVerifyLimit;
  const headBefore = await deps.log.head(tenantId);
  const report = (walker: { lastSeq: number; checked: number }, rest: Partial<VerifyReport>): VerifyReport => ({
    ok: rest.brokenLink === undefined,
    fromSeq,
    lastSeq: walker.lastSeq,
    checked: walker.checked,
    complete: true,
    ...(headBefore ? { head: headBefore } : {}),
    ...rest,
  });

  const anchored = await anchor(deps.log, tenantId, fromSeq);
  if ('brokenLink' in anchored) return report({ lastSeq: fromSeq - 1, checked: 0 }, { brokenLink: anchored.brokenLink });

  const walker = new ChainWalker(anchored, headBefore);
  for await (const link of deps.log.chain(tenantId, fromSeq)) {
    if (walker.checked >= limit) return report(walker, { complete: false, nextFromSeq: walker.lastSeq + 1 });
    const broken = walker.check(link);
    if (broken) return report(walker, { brokenLink: broken });
  }
  const broken = walker.finish(await deps.log.head(tenantId));
  return report(walker, broken ? { brokenLink: broken } : {});
}

async function anchor(log: GrantLogReader, tenantId: string, fromSeq: number): Promise<ChainAnchor | { brokenLink: BrokenLink }> {
  if (fromSeq <= 1) return chainStart;
  const seq = fromSeq - 1;
  const link = await log.event(tenantId, seq);
  if (!link) return { brokenLink: { seq, kind: 'deleted', message: `Seq ${seq}, where this walk starts from, is missing.` } };
  if (link.event.seq !== seq || recomputeHash(link.event) !== link.event.hash || !link.keysMatch) {
    return { brokenLink: { seq, kind: 'modified', message: `Seq ${seq}, where this walk starts from, was changed after it was written.` } };
  }
  return { seq, hash: link.event.hash };
}
