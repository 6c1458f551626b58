import { z } from 'zod';
import { ValidationError } from '../../errors.ts';

// Opaque page cursors: the LastEvaluatedKey, base64url-encoded. On the way back in
// a cursor must be a flat map of strings whose partition key is exactly the one
// of the query being paged, so it cannot be replayed against another tenant,
// another requester or another filter.
const keySchema = z.record(z.string().max(64), z.string().max(1024));

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, partition: { name: string; value: string }): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let key: Record<string, string>;
  try {
    key = keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('The cursor is not valid.');
  }
  if (key[partition.name] !== partition.value || Object.keys(key).length > 6) {
    throw new ValidationError('The cursor does not belong to this query.');
  }
  return key;
}
