import { listEventsQuery, toLogFilter } from '#shared/http/audit-schemas';
import { listEvents } from '#shared/use-cases/audit-log';
import { auditDeps, route } from '#shared/wiring';

// Events go out whole, tenantId included: every field is hashed, and an auditor re-hashing them needs all of it.
export const handler = route({ query: listEventsQuery }, async ({ principal, query }) => {
  const page = await listEvents(auditDeps, principal, { filter: toLogFilter(query), limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { status: 200, body: { items: page.items, nextCursor: page.nextCursor } };
});
