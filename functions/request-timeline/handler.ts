import { timelinePath, timelineQuery } from '#shared/audit/schemas';
import { requestTimeline } from '#shared/audit/query-events';
import { auditDeps, route } from '#shared/wiring/index';

export const handler = route({ path: timelinePath, query: timelineQuery }, async ({ principal, path, query }) => {
  const page = await requestTimeline(auditDeps, principal, { requestId: path.requestId, limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { status: 200, body: { items: page.items, nextCursor: page.nextCursor } };
});
