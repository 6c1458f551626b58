import { accessSummaryQuery } from '#shared/audit/schemas';
import { accessSummary } from '#shared/audit/access-summary';
import { auditDeps, route } from '#shared/wiring/index';

export const handler = route({ query: accessSummaryQuery }, async ({ principal, query }) => {
  const summary = await accessSummary(auditDeps, principal, {
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
    ...(query.target ? { targetId: query.target } : {}),
  });
  return { status: 200, body: summary };
});
