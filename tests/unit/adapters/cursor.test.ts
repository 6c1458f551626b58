import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type CursorScope } from '#shared/adapters/dynamodb/cursor';
import { ValidationError } from '#shared/kernel/errors';

const requests: CursorScope = {
  partition: { name: 'GSI1PK', value: 'T#acme#REQUESTER#alice' },
  keys: ['GSI1PK', 'GSI1SK', 'PK', 'SK'],
  equal: [{ name: 'PK', value: 'T#acme' }],
  prefixes: [{ name: 'SK', prefix: 'REQ#' }],
};
const targets: CursorScope = { partition: { name: 'PK', value: 'T#acme' }, keys: ['PK', 'SK'], prefixes: [{ name: 'SK', prefix: 'TARGET#' }] };
const good = { GSI1PK: 'T#acme#REQUESTER#alice', GSI1SK: '2026-11-24T09:00:00.000Z#req_1', PK: 'T#acme', SK: 'REQ#req_1' };
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('page cursors', () => {
  it('round-trips a key of the query it was made for', () => {
    expect(decodeCursor(encodeCursor(good), requests)).toEqual(good);
    expect(decodeCursor(encodeCursor({ PK: 'T#acme', SK: 'TARGET#tgt_1' }), targets)).toEqual({ PK: 'T#acme', SK: 'TARGET#tgt_1' });
    expect(decodeCursor(undefined, requests)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not a key', raw([1, 2])],
    ['a non-string value', raw({ ...good, SK: 5 })],
    ['another tenant', raw({ ...good, GSI1PK: 'T#other#REQUESTER#alice' })],
    ['another requester', raw({ ...good, GSI1PK: 'T#acme#REQUESTER#bob' })],
    ['a missing key attribute (DynamoDB would reject the start key: a 500)', raw({ GSI1PK: good.GSI1PK })],
    ['an extra attribute', raw({ ...good, extra: 'x' })],
    ['an index cursor whose table key is another tenant’s', raw({ ...good, PK: 'T#other' })],
    ['an index cursor whose table key merely starts with the tenant', raw({ ...good, PK: 'T#acme-other' })],
    ['an index cursor whose table sort key is not a request', raw({ ...good, SK: 'TARGET#tgt_1' })],
    // DynamoDB refuses these as key values with a ValidationException (a 500), whatever the partition says.
    ['an empty sort-key value', raw({ ...good, GSI1SK: '' })],
    ['an empty table key value', raw({ ...good, SK: '' })],
    ['a key value over 1024 bytes in under 1024 characters', raw({ ...good, GSI1SK: '€'.repeat(400) })],
  ])('refuses %s with a 400-class ValidationError', (_, cursor) => {
    expect(() => decodeCursor(cursor, requests)).toThrow(ValidationError);
  });

  it('accepts a key value of exactly 1024 bytes (the longest DynamoDB takes as a sort key)', () => {
    const key = { ...good, SK: `REQ#${'x'.repeat(1020)}` };
    expect(decodeCursor(encodeCursor(key), requests)).toEqual(key);
  });

  it('refuses a cursor of another listing in the same partition (outside the sort-key prefix)', () => {
    expect(() => decodeCursor(encodeCursor({ PK: 'T#acme', SK: 'SERVICE#arn:aws:iam::1:role/x' }), targets)).toThrow(ValidationError);
  });
});
