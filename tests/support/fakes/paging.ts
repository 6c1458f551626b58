import { ValidationError } from '#shared/kernel/errors';
import type { Page, PageRequest } from '#shared/kernel/ports';

export const key = (...parts: string[]) => parts.join('\u0000');

/** Offset paging with a cursor bound to its query, like the real cursor: it cannot be replayed elsewhere. */
export function paginate<T>(items: T[], partition: string, page: PageRequest): Page<T> {
  let start = 0;
  if (page.cursor !== undefined) {
    let decoded: { p?: unknown; o?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as { p?: unknown; o?: unknown };
    } catch {
      throw new ValidationError('The cursor is not valid.');
    }
    if (decoded?.p !== partition || typeof decoded.o !== 'number') throw new ValidationError('The cursor does not belong to this query.');
    start = decoded.o;
  }
  const end = start + page.limit;
  const nextCursor = end < items.length ? Buffer.from(JSON.stringify({ p: partition, o: end })).toString('base64url') : undefined;
  return { items: items.slice(start, end).map((i) => structuredClone(i)), ...(nextCursor ? { nextCursor } : {}) };
}
