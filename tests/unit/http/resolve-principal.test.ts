import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '#shared/kernel/errors';
import { parseListClaim, principalFromCaller, principalFromClaims } from '#shared/http/resolve-principal';
import { InMemoryServiceStore, TENANT } from '../../support/fakes/index.ts';
import { httpApiJwtEvent } from './events.ts';

describe('parseListClaim', () => {
  it.each<[string, unknown, string[]]>([
    ['the HTTP API form "[a b]"', '[admin approver]', ['admin', 'approver']],
    ['the HTTP API form with one element', '[admin]', ['admin']],
    ['the HTTP API form, empty', '[]', []],
    ['extra spaces and commas', ' [ admin,  approver ] ', ['admin', 'approver']],
    ['a JSON array string', '["admin","approver"]', ['admin', 'approver']],
    ['a JSON array string with spaces inside values', '["data team", "dba"]', ['data team', 'dba']],
    ['a real array', ['admin', 'approver'], ['admin', 'approver']],
    ['a real array of non-strings', [1, true], ['1', 'true']],
    ['a single bare value', 'admin', ['admin']],
    ['an empty string', '', []],
    ['undefined', undefined, []],
    ['null', null, []],
    ['a broken JSON array falls back to the space-separated form', '["admin" "approver"]', ['"admin"', '"approver"']],
  ])('reads %s', (_form, value, expected) => {
    expect(parseListClaim(value)).toEqual(expected);
  });
});

describe('principalFromClaims', () => {
  it('reads the claims of the HTTP API fixture event into a user principal', () => {
    const claims = httpApiJwtEvent().requestContext.authorizer.jwt.claims;

    expect(principalFromClaims(claims)).toEqual({
      id: 'alice',
      kind: 'user',
      tenantId: 'acme',
      roles: ['requester', 'approver'],
      groups: ['dba', 'oncall'],
      displayName: 'Alice Example',
    });
  });

  it('drops roles Latchkey does not know', () => {
    const principal = principalFromClaims({ sub: 'alice', tenant: 'acme', roles: '[admin superuser root auditor]' });

    expect(principal.roles).toEqual(['admin', 'auditor']);
  });

  it('authenticates a token without roles or groups claims, as a principal with none', () => {
    expect(principalFromClaims({ sub: 'alice', tenant: 'acme' })).toMatchObject({ roles: [], groups: [] });
  });

  it('drops group names longer than 128 characters', () => {
    const principal = principalFromClaims({ sub: 'alice', tenant: 'acme', groups: ['dba', 'x'.repeat(129)] });

    expect(principal.groups).toEqual(['dba']);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no claims at all', {}],
    ['no subject', { tenant: 'acme', roles: '[admin]' }],
    ['an empty subject', { sub: '', tenant: 'acme' }],
    ['no tenant', { sub: 'alice', roles: '[admin]' }],
    ['a tenant with upper case', { sub: 'alice', tenant: 'Acme' }],
    ['a tenant with a path separator', { sub: 'alice', tenant: 'acme/../globex' }],
    ['a tenant with a key separator', { sub: 'alice', tenant: 'acme#T#globex' }],
    ['a tenant that is an array', { sub: 'alice', tenant: ['acme'] }],
    ['a subject that is a number', { sub: 42, tenant: 'acme' }],
  ])('refuses %s (UnauthenticatedError)', (_case, claims) => {
    expect(() => principalFromClaims(claims)).toThrow(UnauthenticatedError);
  });
});

describe('principalFromCaller', () => {
  async function registry() {
    const services = new InMemoryServiceStore();
    await services.register(
      {
        roleArn: 'arn:aws:iam::444455556666:role/pipelines/etl-reader',
        name: 'ETL reader',
        access: [{ targetId: 'tgt_0000000901', databaseUsers: ['app_ro'] }],
        autoApprove: true,
        tenantId: TENANT,
        createdAt: '2030-01-01T00:00:00.000Z',
        createdBy: 'erin',
      },
      { tenantId: TENANT, at: '2030-01-01T00:00:00.000Z', action: 'service.registered', actorId: 'erin', actorKind: 'user', outcome: 'success' },
    );
    return services;
  }

  it('resolves an assumed-role session to the service registered for that account and role name (the path is not in the session ARN)', async () => {
    const services = await registry();

    const principal = await principalFromCaller('arn:aws:sts::444455556666:assumed-role/etl-reader/etl-run-42', services);

    expect(principal).toEqual({
      id: 'arn:aws:iam::444455556666:role/pipelines/etl-reader',
      kind: 'service',
      tenantId: TENANT,
      roles: ['requester'],
      groups: [],
      displayName: 'ETL reader',
      scope: { access: [{ targetId: 'tgt_0000000901', databaseUsers: ['app_ro'] }], autoApprove: true },
    });
  });

  it.each<[string, string | null | undefined]>([
    ['an IAM user', 'arn:aws:iam::444455556666:user/etl-reader'],
    ['the account root', 'arn:aws:iam::444455556666:root'],
    ['a federated user', 'arn:aws:sts::444455556666:federated-user/etl-reader'],
    ['no caller at all', null],
    ['an empty caller', ''],
    ['something that is not an ARN', 'etl-reader'],
  ])('refuses %s (ForbiddenError)', async (_case, arn) => {
    const services = await registry();

    await expect(principalFromCaller(arn, services)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it.each([
    ['a role of the same name in another account', 'arn:aws:sts::999999999999:assumed-role/etl-reader/etl-run-42'],
    ['another role in the same account', 'arn:aws:sts::444455556666:assumed-role/etl-writer/etl-run-42'],
  ])('refuses %s that nobody registered (ForbiddenError)', async (_case, arn) => {
    const services = await registry();

    await expect(principalFromCaller(arn, services)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('never returns a principal with more than the requester role', async () => {
    const services = await registry();

    const principal = await principalFromCaller('arn:aws:sts::444455556666:assumed-role/etl-reader/admin', services);

    expect(principal.roles).toEqual(['requester']);
  });
});
