import { z } from 'zod';
import { ValidationError } from '../../errors.ts';

// Opaque page cursors: the LastEvaluatedKey, base64url-encoded. On the way back
// in, a cursor must be exactly a key of the query being paged — the same key
// attributes, the query's own partition, and (for prefix listings) a sort key
// inside the prefix — so it cannot be replayed against another tenant, another
// requester or another listing, and DynamoDB never sees a start key it would
// reject (which would surface as a 500).
const keySchema = z.record(z.string().max(64), z.string().max(1024));

export type CursorScope = {
  partition: { name: string; value: string };
  /** Every attribute of the start key: the index's keys and the table's. */
  keys: readonly string[];
  sortPrefix?: { name: string; prefix: string };
};

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, scope: CursorScope): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let key: Record<string, string>;
  try {
    key = keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('The cursor is not valid.');
  }
  const names = Object.keys(key).sort();
  const expected = [...new Set(scope.keys)].sort();
  const fits =
    names.length === expected.length &&
    names.every((n, i) => n === expected[i]) &&
    key[scope.partition.name] === scope.partition.value &&
    (!scope.sortPrefix || (key[scope.sortPrefix.name] ?? '').startsWith(scope.sortPrefix.prefix));
  if (!fits) throw new ValidationError('The cursor does not belong to this query.');
  return key;
}
