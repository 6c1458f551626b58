import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertPackedSize, awsTime, durationSecondsFor, sessionNameFor, sessionPolicyDocument, sessionPolicyFor, sessionTagsFor,
  sourceIdentityFor, terminationPolicyFor, type PolicyDocument,
} from '#shared/minting/minting';
import { PackedPolicyTooLargeError } from '#shared/minting/errors';
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
    // Pure CPU (2000 strings of up to 400 code units): a few seconds alone, over vitest's 5 s on a loaded 2-core box.
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

describe('durationSecondsFor', () => {
  const now = new Date('2030-01-15T09:00:00.000Z');
  const windowEndIn = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

  it.each([
    ['a window already over', -60, 900],
    ['1 second left', 1, 900],
    ['5 minutes left (the 15-minute STS floor)', 300, 900],
    ['exactly 900 s left', 900, 900],
    ['30 minutes left', 1800, 1800],
    ['59 min 59.5 s left (rounded down)', 3599.5, 3599],
    ['exactly an hour left', 3600, 3600],
    ['8 hours left (role chaining caps at an hour)', 8 * 3600, 3600],
  ])('clamps %s', (_, remaining, expected) => {
    expect(durationSecondsFor(windowEndIn(remaining), now)).toBe(expected);
  });
});

describe('sessionPolicyFor', () => {
  const base = {
    region: 'eu-central-1',
    accountId: '111122223333',
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
    databaseUser: 'app_ro',
    windowEnd: '2030-01-15T10:00:00.123Z',
  };
  const parse = (json: string) => JSON.parse(json) as PolicyDocument;
  const resources = (doc: PolicyDocument) => doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));

  it('allows rds-db:connect on exactly the one dbuser ARN, and nothing else, without SSM', () => {
    const doc = parse(sessionPolicyFor(base));

    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'rds-db:connect' });
    expect(resources(doc)).toEqual(['arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/app_ro']);
  });

  it('adds StartSession on exactly the instance and the port-forwarding document, and TerminateSession on its own sessions', () => {
    const doc = parse(sessionPolicyFor({ ...base, ssm: { instanceId: 'i-0123456789abcdef0' } }));

    expect(doc.Statement.map((s) => s.Action)).toEqual(['rds-db:connect', 'ssm:StartSession', 'ssm:TerminateSession']);
    expect(doc.Statement[1]!.Resource).toEqual([
      'arn:aws:ec2:eu-central-1:111122223333:instance/i-0123456789abcdef0',
      'arn:aws:ssm:eu-central-1::document/AWS-StartPortForwardingSessionToRemoteHost',
    ]);
    expect(doc.Statement[2]).toMatchObject({
      Resource: 'arn:aws:ssm:eu-central-1:111122223333:session/*',
      Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
    });
    expect(resources(doc).some((r) => r === '*')).toBe(false);
  });

  it.each([
    ['without SSM', {}],
    ['with SSM', { ssm: { instanceId: 'i-0123456789abcdef0' } }],
  ])('ends every statement at the window (DateLessThan aws:CurrentTime, to the second) %s', (_, extra) => {
    const doc = parse(sessionPolicyFor({ ...base, ...extra }));

    for (const statement of doc.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition.DateLessThan).toEqual({ 'aws:CurrentTime': '2030-01-15T10:00:00Z' });
    }
  });

  it('is compact JSON (STS counts its bytes)', () => {
    const json = sessionPolicyFor({ ...base, ssm: { instanceId: 'i-0123456789abcdef0' } });
    expect(json).toBe(JSON.stringify(JSON.parse(json)));
    expect(json).not.toMatch(/\s/);
    expect(parse(json)).toEqual(sessionPolicyDocument({ ...base, ssm: { instanceId: 'i-0123456789abcdef0' } }));
  });

  it('rounds the window end down, never past it', () => {
    expect(awsTime('2030-01-15T10:00:00.999Z')).toBe('2030-01-15T10:00:00Z');
  });

  it('gives the session-ending credentials TerminateSession on their own sessions only, until a deadline', () => {
    const doc = parse(terminationPolicyFor({ region: 'eu-central-1', accountId: '111122223333', until: '2030-01-15T10:15:00.000Z' }));

    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Action: 'ssm:TerminateSession',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-15T10:15:00Z' }, StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
    });
  });
});

describe('assertPackedSize', () => {
  it.each([undefined, 0, 42, 90])('accepts %s percent', (size) => {
    expect(() => assertPackedSize(size)).not.toThrow();
  });

  it.each([91, 100, 130])('refuses %i percent with a named error', (size) => {
    expect(() => assertPackedSize(size)).toThrow(PackedPolicyTooLargeError);
    expect(() => assertPackedSize(size)).toThrow(`${size}%`);
  });
});
