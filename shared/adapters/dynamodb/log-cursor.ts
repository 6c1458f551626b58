import * as z from 'zod';
import { ValidationError } from '../../kernel/errors.ts';
import { startKeyValue } from './cursor.ts';

// Opaque cursors for the grant log: the next start key plus a binding (the
// tenant and the normalized filter, hashed). On the way back in a cursor must
// carry the same binding, exactly the key attributes of the query being paged,
// and values inside its key range — anything else is a 400, never a 5xx from
// DynamoDB rejecting an ExclusiveStartKey outside the query's bounds.

const cursorSchema = z
  .object({
    v: z.literal(1),
    b: z.string().min(1).max(64),
    // Values DynamoDB accepts as keys (see cursor.ts): the checks below are per attribute, this is for all of them.
    k: z.record(z.string().max(16), startKeyValue),
  })
  .strict();

export type KeyCheck = string | ((value: string) => boolean);

export function encodeLogCursor(binding: string, key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify({ v: 1, b: binding, k: key })).toString('base64url') : undefined;
}

/** @param expected every attribute the start key must have, each with its exact value or a check */
export function decodeLogCursor(cursor: string | undefined, binding: string, expected: Record<string, KeyCheck>): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let decoded: z.infer<typeof cursorSchema>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    decoded = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('The cursor is not valid.');
  }
  if (decoded.b !== binding) throw new ValidationError('The cursor does not belong to this query; start again without it.');
  const names = Object.keys(decoded.k);
  const wanted = Object.keys(expected);
  const shapeOk = names.length === wanted.length && wanted.every((name) => {
    const value = decoded.k[name];
    const check = expected[name]!;
    return value !== undefined && (typeof check === 'string' ? value === check : check(value));
  });
  if (!shapeOk) throw new ValidationError('The cursor is not valid.');
  return decoded.k;
}
