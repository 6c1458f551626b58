import { verifyQuery } from '#shared/http/audit-schemas';
import { verifyLog } from '#shared/use-cases/verify-log';
import { auditDeps, route } from '#shared/wiring';

// A broken chain is a finding, not a failed call: 200 with ok=false and the first broken link.
export const handler = route({ query: verifyQuery }, async ({ principal, query }) => {
  const report = await verifyLog(auditDeps, principal, { fromSeq: query.fromSeq, limit: query.limit });
  return { status: 200, body: report };
});
