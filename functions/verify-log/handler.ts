import { verifyQuery } from '#shared/audit/schemas';
import { verifyLog } from '#shared/audit/verify-log';
import { auditDeps, route } from '#shared/wiring/index';

// A broken chain is a finding, not a failed call: 200 with ok=false and the first broken link.
export const handler = route({ query: verifyQuery }, async ({ principal, query }) => {
  const report = await verifyLog(auditDeps, principal, { fromChain: query.fromChain, fromSeq: query.fromSeq, limit: query.limit });
  return { status: 200, body: report };
});
