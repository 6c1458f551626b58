import * as z from 'zod';
import { ValidationError } from '../../kernel/errors.ts';

// Opaque page cursors: the LastEvaluatedKey, base64url-encoded. On the way back
// in, a cursor must be exactly a key of the query being paged — the same key
// attributes, the query's own partition, and (for prefix listings) a sort key
// inside the prefix — so it cannot be replayed against another tenant, another
// requester or another listing, and DynamoDB never sees a start key it would
// reject (which would surface as a 500).
//
// Every value must also be one DynamoDB accepts as a key at all: a non-empty
// string of at most 1024 UTF-8 bytes. DynamoDB refuses an empty key value, a
// partition value over 2048 bytes and a sort value over 1024 bytes with a
// ValidationException — a 500 — and counts bytes, not characters: 400 × "€" is
// 400 characters but 1200 bytes. Every key Latchkey writes fits: the longest,
// a requester partition holding a 256-character JWT subject, is under 900 bytes.
export const MAX_KEY_VALUE_BYTES = 1024;
export const startKeyValue = z
  .string()
  .min(1)
  .refine((v) => Buffer.byteLength(v, 'utf8') <= MAX_KEY_VALUE_BYTES, `must be at most ${MAX_KEY_VALUE_BYTES} bytes`);
const keySchema = z.record(z.string().max(64), startKeyValue);

export type CursorScope = {
  partition: { name: string; value: string };
  /** Every attribute of the start key: the index's keys and the table's. */
  keys: readonly string[];
  /** Other attributes with a known value (an index cursor's table partition: the caller's tenant). */
  equal?: readonly { name: string; value: string }[];
  /** Attributes whose values must start with a prefix (a listing's sort key). */
  prefixes?: readonly { name: string; prefix: string }[];
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
    [scope.partition, ...(scope.equal ?? [])].every((e) => key[e.name] === e.value) &&
    (scope.prefixes ?? []).every((p) => (key[p.name] ?? '').startsWith(p.prefix));
  if (!fits) throw new ValidationError('The cursor does not belong to this query.');
  return key;
}
