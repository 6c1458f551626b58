import { ConcurrentModificationError, InvalidTransitionError } from '../kernel/errors.ts';
import * as transitions from './transitions.ts';
import type { Deps } from './deps.ts';
import { noTenantScope, type TenantScope } from '../kernel/ports.ts';

export type SweepResult = { expired: number; ended: number; skipped: number; leftovers: number };

/**
 * The scheduled sweeper:
 * 1. finds requests whose deadline has passed (GSI3, one Query per day bucket);
 * 2. expires pending requests nobody decided in time, ends grants whose window closed;
 * 3. each as a conditional write with its log event: a request someone decided
 *    meanwhile is skipped, never written twice;
 * 4. for a grant it ends — or one revoked or ended earlier whose SSM sessions are still
 *    listed as due because ending them failed — `onGrantEnded` ends what outlived it.
 * Only the listing spans tenants; each due request is handled `asTenant` its own tenant,
 * so in AWS the sweeper too touches a tenant's items only with that tenant's credentials.
 */
export async function sweepDeadlines(
  deps: Pick<Deps, 'clock' | 'requests'>,
  options: { lookbackDays?: number; onGrantEnded?: (tenantId: string, requestId: string) => Promise<void>; asTenant?: TenantScope } = {},
): Promise<SweepResult> {
  const lookbackDays = options.lookbackDays ?? 7;
  const now = deps.clock.now();
  const result: SweepResult = { expired: 0, ended: 0, skipped: 0, leftovers: 0 };
  const seen = new Set<string>();
  const asTenant = options.asTenant ?? noTenantScope;
  for await (const due of deps.requests.listDue(now, lookbackDays)) {
    // A request and its SSM sessions can be due together: act once per request.
    const key = `${due.tenantId}#${due.requestId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await asTenant(due.tenantId, async () => {
      const request = await deps.requests.get(due.tenantId, due.requestId);
      if (!request) return;
      try {
        if (request.status === 'pending') {
          await deps.requests.save(transitions.expire(request, now), request.version);
          result.expired++;
        } else if (request.status === 'approved') {
          await deps.requests.save(transitions.end(request, now), request.version);
          result.ended++;
          await options.onGrantEnded?.(request.tenantId, request.requestId);
        } else if (request.status === 'revoked' || request.status === 'ended') {
          // Only what outlived the grant is still due (an SSM session whose termination failed).
          await options.onGrantEnded?.(request.tenantId, request.requestId);
          result.leftovers++;
        }
      } catch (error) {
        if (!(error instanceof ConcurrentModificationError || error instanceof InvalidTransitionError)) throw error;
        result.skipped++;
      }
    });
  }
  return result;
}
