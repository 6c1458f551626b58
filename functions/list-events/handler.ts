import { listEventsQuery, toLogFilter } from '#shared/audit/schemas';
import { listEvents } from '#shared/audit/query-events';
import { auditDeps, route } from '#shared/wiring/index';

// Events go out whole, tenantId included: every field is hashed, and an auditor re-hashing them needs all of it.
export const handler = route({ query: listEventsQuery }, async ({ principal, query }) => {
  const page = await listEvents(auditDeps, principal, { filter: toLogFilter(query), limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { status: 200, body: { items: page.items, nextCursor: page.nextCursor } };
});
