import { exportEventsQuery, toLogFilter } from '#shared/audit/schemas';
import { exportEventsPage } from '#shared/audit/query-events';
import { auditDeps, route } from '#shared/wiring/index';

// One page of lines per call; the next page's cursor travels in a header so the body stays pure CSV / JSON Lines.
export const handler = route({ query: exportEventsQuery }, async ({ principal, query }) => {
  const page = await exportEventsPage(auditDeps, principal, {
    filter: toLogFilter(query),
    format: query.format,
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  const headers: Record<string, string> = { 'content-disposition': `attachment; filename="grant-log.${query.format === 'csv' ? 'csv' : 'jsonl'}"` };
  if (page.nextCursor) headers['x-next-cursor'] = page.nextCursor;
  return { status: 200, text: page.text, contentType: page.contentType, headers };
});
