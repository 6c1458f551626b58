import { ForbiddenError } from '../kernel/errors.ts';
import type { Principal } from '../kernel/principal.ts';
import { noTenantScope, type Clock, type TenantScope } from '../kernel/ports.ts';
import { allHeads, sameHeads, signDigest, type DigestSigner, type SignedDigest } from '../grant-log/index.ts';
import { canAudit } from './filter.ts';
import type { DigestPublicKey, DigestStore, PublicKeySource, TenantDirectory } from './ports.ts';

export type DigestDeps = { clock: Clock; digests: DigestStore; signer: DigestSigner };

export type DigestOutcome = { tenantId: string; digest: SignedDigest; signed: boolean };

/**
 * Signs one tenant's chain position:
 * 1. read every chain's head and the newest digest;
 * 2. nothing appended since that digest: it still stands, sign nothing (a quiet tenant adds no digests);
 * 3. otherwise sign every head, linked to that digest, at a time no earlier than it;
 * 4. append it; when a concurrent run appended first, its digest is the answer.
 */
export async function signTenantDigest(deps: DigestDeps, tenantId: string): Promise<DigestOutcome> {
  const [heads, previous] = await Promise.all([deps.digests.heads(tenantId), deps.digests.latest(tenantId)]);
  if (previous && sameHeads(previous.heads, allHeads(heads))) return { tenantId, digest: previous, signed: false };
  const now = deps.clock.now();
  const at = previous && Date.parse(previous.at) >= now.getTime() ? new Date(Date.parse(previous.at) + 1) : now;
  const digest = await signDigest(deps.signer, { tenantId, heads, at, ...(previous ? { previous } : {}) });
  if (await deps.digests.append(digest)) return { tenantId, digest, signed: true };
  const winner = await deps.digests.latest(tenantId);
  return { tenantId, digest: winner ?? digest, signed: false };
}

/** POST /audit/digests: an auditor or admin signs their own tenant's position now. */
export async function signDigestNow(deps: DigestDeps, principal: Principal): Promise<DigestOutcome> {
  if (!canAudit(principal)) throw new ForbiddenError('Only auditors and admins can sign the grant log.');
  return signTenantDigest(deps, principal.tenantId);
}

/** The schedule: every tenant in turn; one tenant's failure is counted, and the others still get their digest. */
export async function signAllDigests(deps: DigestDeps & { tenants: TenantDirectory; asTenant?: TenantScope }): Promise<{ signed: number; unchanged: number; failed: string[] }> {
  const result = { signed: 0, unchanged: 0, failed: [] as string[] };
  // Only the listing spans tenants; each tenant's heads are read and its digest written in its own session.
  const asTenant = deps.asTenant ?? noTenantScope;
  for await (const tenantId of deps.tenants.tenants()) {
    try {
      const outcome = await asTenant(tenantId, () => signTenantDigest(deps, tenantId));
      if (outcome.signed) result.signed += 1;
      else result.unchanged += 1;
    } catch {
      result.failed.push(tenantId);
    }
  }
  return result;
}

/** GET /audit/public-key: the key that verifies every digest, for anyone holding an export. */
export async function digestPublicKey(deps: { keys: PublicKeySource }, principal: Principal): Promise<DigestPublicKey> {
  if (!canAudit(principal)) throw new ForbiddenError('Only auditors and admins can read the grant log.');
  return deps.keys.publicKey();
}
