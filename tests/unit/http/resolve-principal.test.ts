import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '#shared/kernel/errors';
import { parseListClaim, principalFromCaller, principalFromClaims } from '#shared/http/resolve-principal';
import { defaultClaimNames, type ClaimNames } from '#shared/kernel/principal';
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
    ['a space-separated string (the OAuth scope form)', 'admin approver', ['admin', 'approver']],
    ['a comma-separated string', 'admin,approver', ['admin', 'approver']],
    ['a string of commas and spaces', ' admin ,  approver ', ['admin', 'approver']],
    ['a namespaced value stays whole', 'https://latchkey.example/roles/admin', ['https://latchkey.example/roles/admin']],
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

describe('principalFromClaims with the claim names of a deployment', () => {
  const names = (overrides: Partial<ClaimNames>): ClaimNames => ({ ...defaultClaimNames, ...overrides });
  // The claims as API Gateway's HTTP API hands them over (arrays as "[a b]"), per identity provider in docs/deploy.md.
  it.each<[string, ClaimNames, Record<string, unknown>, { id: string; tenantId: string; roles: string[]; groups: string[] }]>([
    [
      'Auth0: namespaced claims from an Action',
      names({ tenant: 'https://latchkey.example/tenant', roles: 'https://latchkey.example/roles', groups: 'https://latchkey.example/groups' }),
      { sub: 'auth0|64f1c0ffee', 'https://latchkey.example/tenant': 'acme', 'https://latchkey.example/roles': '[admin approver]', 'https://latchkey.example/groups': '[dba]' },
      { id: 'auth0|64f1c0ffee', tenantId: 'acme', roles: ['admin', 'approver'], groups: ['dba'] },
    ],
    [
      'Cognito: roles and groups both from cognito:groups, the tenant from the pre-token trigger',
      names({ roles: 'cognito:groups', groups: 'cognito:groups' }),
      { sub: '5f0e8a5c-70d1-4d5e-9d55-0c1a3b9f1d2e', tenant: 'acme', 'cognito:groups': '[approver dba]' },
      { id: '5f0e8a5c-70d1-4d5e-9d55-0c1a3b9f1d2e', tenantId: 'acme', roles: ['approver'], groups: ['approver', 'dba'] },
    ],
    [
      'Entra ID: oid as the subject, the directory id as the tenant, app roles, groups as object ids',
      names({ subject: 'oid', tenant: 'tid' }),
      { sub: 'pairwise-per-app', oid: '00000000-0000-0000-66f3-3332eca7ea81', tid: '72f988bf-86f1-41af-91ab-2d7cd011db47', roles: '[requester]', groups: '[b6a4b5a0-3b9c-4d3e-8f1e-2a7c9d0e1f23]' },
      { id: '00000000-0000-0000-66f3-3332eca7ea81', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', roles: ['requester'], groups: ['b6a4b5a0-3b9c-4d3e-8f1e-2a7c9d0e1f23'] },
    ],
    [
      'Okta: the user id as the subject, custom claims from profile attributes, roles as a joined string',
      names({ subject: 'uid', tenant: 'latchkeyTenant', roles: 'latchkeyRoles' }),
      { sub: 'alice@acme.example', uid: '00u1a2b3c4D5e6F7g8h9', latchkeyTenant: 'acme', latchkeyRoles: 'requester approver', groups: '[dba oncall]' },
      { id: '00u1a2b3c4D5e6F7g8h9', tenantId: 'acme', roles: ['requester', 'approver'], groups: ['dba', 'oncall'] },
    ],
  ])('reads %s', (_idp, claimNames, claims, expected) => {
    expect(principalFromClaims(claims, claimNames)).toEqual({ kind: 'user', ...expected });
  });

  it('never falls back to the default names: a token with only `tenant` is refused when the tenant claim is namespaced', () => {
    const namespaced = names({ tenant: 'https://latchkey.example/tenant' });

    expect(() => principalFromClaims({ sub: 'alice', tenant: 'acme', roles: '[admin]' }, namespaced)).toThrow(UnauthenticatedError);
    expect(principalFromClaims({ sub: 'alice', tenant: 'globex', 'https://latchkey.example/tenant': 'acme' }, namespaced).tenantId).toBe('acme');
  });

  it('takes roles only from the roles claim, not from a claim of the default name', () => {
    const principal = principalFromClaims({ sub: 'alice', tenant: 'acme', roles: '[admin]', 'https://latchkey.example/roles': '[requester]' }, names({ roles: 'https://latchkey.example/roles' }));

    expect(principal.roles).toEqual(['requester']);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no subject', { 'https://latchkey.example/tenant': 'acme' }, /subject claim \("oid"\)/],
    ['no tenant', { oid: 'alice' }, /tenant claim \("https:\/\/latchkey\.example\/tenant"\)/],
  ])('names the configured claim when the token has %s', (_case, claims, message) => {
    expect(() => principalFromClaims(claims, names({ subject: 'oid', tenant: 'https://latchkey.example/tenant' }))).toThrow(message);
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['an object', { first: 'Alice' }],
    ['longer than 256 characters', 'x'.repeat(257)],
    ['empty', ''],
  ])('ignores a display name that is %s, instead of refusing the login', (_case, name) => {
    const principal = principalFromClaims({ sub: 'alice', tenant: 'acme', name });

    expect(principal).toMatchObject({ id: 'alice', tenantId: 'acme' });
    expect(principal).not.toHaveProperty('displayName');
  });

  it('reads the display name from its configured claim', () => {
    expect(principalFromClaims({ sub: 'alice', tenant: 'acme', name: 'ignored', given_name: 'Alice' }, names({ displayName: 'given_name' })).displayName).toBe('Alice');
  });

  it('counts a role or group named twice once', () => {
    const principal = principalFromClaims({ sub: 'alice', tenant: 'acme', roles: '[admin admin]', groups: 'dba,dba' });

    expect(principal).toMatchObject({ roles: ['admin'], groups: ['dba'] });
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
