import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionNameFor, sessionTagsFor, sourceIdentityFor } from '#shared/iam/session-naming';
import { REASON, approvedGrant } from '../../support/minting-world.ts';

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const SOURCE_IDENTITY = /^[A-Za-z0-9_.,+=@-]{2,64}$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

describe('sessionNameFor', () => {
  it.each([
    ['a ULID request id', 'req_01JCZ3M4ABCDEFGHJKMNPQRSTV'],
    ['the longest id the schema allows', `req_${'A'.repeat(40)}`],
    ['an id far over 64 characters', `req_${'B'.repeat(200)}`],
    ['an id with characters STS refuses', 'req_a|b c/d#e'],
  ])('names the request within 64 characters of [\\w+=,.@-] for %s', (_, requestId) => {
    const name = sessionNameFor({ requestId });

    expect(name).toMatch(SESSION_NAME);
    expect(name.startsWith('lk-')).toBe(true);
    expect(sessionNameFor({ requestId })).toBe(name);
  });

  it('is exactly lk-<requestId> when that fits', () => {
    expect(sessionNameFor({ requestId: 'req_01JCZ3M4ABCDEFGHJKMNPQRSTV' })).toBe('lk-req_01JCZ3M4ABCDEFGHJKMNPQRSTV');
  });
});

describe('sourceIdentityFor', () => {
  it.each([
    ['a plain subject', 'alice', 'alice'],
    ['an email', 'jane.doe+ops@example.com', 'jane.doe+ops@example.com'],
    ['exactly 64 allowed characters', 'a'.repeat(64), 'a'.repeat(64)],
  ])('keeps %s as it is', (_, id, expected) => {
    expect(sourceIdentityFor(id)).toBe(expected);
  });

  it.each([
    ['an Auth0 subject', 'auth0|abc', /^auth0_abc=[0-9a-f]{24}$/],
    ['a Google subject', 'google-oauth2|1234567890', /^google-oauth2_1234567890=[0-9a-f]{24}$/],
    ['an IAM role ARN (service principal)', 'arn:aws:iam::444455556666:role/etl', /^arn_aws_iam__444455556666_role_etl=[0-9a-f]{24}$/],
    ['a 300-character id', 'x'.repeat(300), /^x{39}=[0-9a-f]{24}$/],
    ['a one-character id (under the 2 minimum)', 'a', /^a=[0-9a-f]{24}$/],
    ['an empty id', '', /^=[0-9a-f]{24}$/],
    ['an id starting with aws:', 'aws:root', /^aws_root=[0-9a-f]{24}$/],
    ['non-ASCII', 'jürgen@example.de', /^j_rgen@example\.de=[0-9a-f]{24}$/],
  ])('maps %s to a sanitized prefix and a sha256 suffix', (_, id, shape) => {
    const mapped = sourceIdentityFor(id);

    expect(mapped).toMatch(shape);
    expect(mapped).toMatch(SOURCE_IDENTITY);
    expect(mapped.toLowerCase().startsWith('aws:')).toBe(false);
    expect(sourceIdentityFor(id)).toBe(mapped);
  });

  it('keeps ids that sanitize alike apart', () => {
    const ids = ['auth0|abc', 'auth0_abc', 'auth0/abc', 'auth0:abc', `${'y'.repeat(39)}1${'z'.repeat(40)}`, `${'y'.repeat(39)}2${'z'.repeat(40)}`];
    expect(new Set(ids.map(sourceIdentityFor)).size).toBe(ids.length);
  });

  it('never maps an id to what another id maps to, even one spelled like a mapped value', () => {
    const mapped = sourceIdentityFor('auth0|abc');
    expect(sourceIdentityFor(mapped)).not.toBe(mapped);
  });

  it('always yields 2–64 characters of the allowed set, never starting with aws: (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (id) => {
        const mapped = sourceIdentityFor(id);
        return SOURCE_IDENTITY.test(mapped) && !mapped.toLowerCase().startsWith('aws:') && sourceIdentityFor(id) === mapped;
      }),
      { numRuns: 2000 },
    );
    // 2000 generated inputs: seconds on a loaded 2-core machine, though each mapping takes microseconds.
  }, 30_000);

  it('maps distinct ids to distinct identities (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 120 }), (a, b) => a === b || sourceIdentityFor(a) !== sourceIdentityFor(b)),
      { numRuns: 2000 },
    );
  });
});

describe('sessionTagsFor', () => {
  const grant = approvedGrant();

  it('carries tenant, request, requester, target and database user', () => {
    expect(Object.fromEntries(sessionTagsFor(grant).map((t) => [t.key, t.value]))).toEqual({
      'latchkey:tenant': 'acme',
      'latchkey:request': 'req_0000000001',
      // `|` is not allowed in tag values: sanitized and hashed, deterministically.
      'latchkey:requester': expect.stringMatching(/^auth0_alice=[0-9a-f]{24}$/),
      'latchkey:target': 'tgt_0000000901',
      'latchkey:db-user': 'app_ro',
    });
  });

  it('never puts the reason in a tag', () => {
    expect(grant.reason).toBe(REASON);
    const text = JSON.stringify(sessionTagsFor(grant));
    expect(text).not.toContain('SECRET-REASON');
    expect(text).not.toContain('INC-4242');
  });

  it.each([
    ['ordinary ids', {}],
    ['a 300-character requester', { requesterId: 'r'.repeat(300) }],
    ['a requester with emoji and control characters', { requesterId: 'ops\u0000\n😀|team' }],
    ['a tenant with spaces and non-Latin letters', { tenantId: 'Ünïcode Tenant 東京' }],
  ])('stays within STS limits for %s', (_, overrides) => {
    const tags = sessionTagsFor({ ...grant, ...overrides });

    expect(tags.length).toBeLessThanOrEqual(50);
    expect(new Set(tags.map((t) => t.key.toLowerCase())).size).toBe(tags.length);
    for (const { key, value } of tags) {
      expect(key.length).toBeGreaterThan(0);
      expect(key.length).toBeLessThanOrEqual(128);
      expect(key).toMatch(TAG_TEXT);
      expect(key.toLowerCase().startsWith('aws:')).toBe(false);
      expect(value.length).toBeLessThanOrEqual(256);
      expect(value).toMatch(TAG_TEXT);
    }
  });

  it('keeps every value within limits for any requester id (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (requesterId) =>
        sessionTagsFor({ ...grant, requesterId }).every((t) => t.value.length <= 256 && TAG_TEXT.test(t.value)),
      ),
      { numRuns: 500 },
    );
  });
});
