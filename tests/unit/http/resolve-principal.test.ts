import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '#shared/kernel/errors';
import { parseListClaim, parseRenderedListClaim, principalFromCaller, principalFromClaims, typedClaims } from '#shared/http/resolve-principal';
import { defaultClaimNames, type ClaimNames } from '#shared/kernel/principal';
import { InMemoryServiceStore, TENANT } from '../../support/fakes/index.ts';
import { httpApiJwtEvent } from './events.ts';

const roles = (value: unknown) => ({ name: 'roles', value });
/** Claims only as API Gateway rendered them (hand-made events without the token). */
const fromRendered = (claims: Record<string, unknown>, claimNames: ClaimNames = defaultClaimNames) => principalFromClaims(claims, claimNames, 'rendered');

describe('parseListClaim (claims as the token has them)', () => {
  it.each<[string, unknown, string[]]>([
    ['an array', ['admin', 'approver'], ['admin', 'approver']],
    ['an empty array', [], []],
    ['one string', 'admin', ['admin']],
    ['absent', undefined, []],
    ['null', null, []],
    ['a namespaced value', 'https://latchkey.example/roles/admin', ['https://latchkey.example/roles/admin']],
    ['a group object id', ['b6a4b5a0-3b9c-4d3e-8f1e-2a7c9d0e1f23'], ['b6a4b5a0-3b9c-4d3e-8f1e-2a7c9d0e1f23']],
  ])('reads %s', (_form, value, expected) => {
    expect(parseListClaim(roles(value))).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['a string that looks like API Gateway\'s rendering of a list', '[requester admin]'],
    ['an element holding a comma', ['requester,admin']],
    ['an element holding a space', ['requester admin']],
    ['a space-separated string', 'requester admin'],
    ['a comma-separated string', 'requester,admin'],
    ['a JSON array in a string', '["requester","admin"]'],
    ['an element holding a bracket', ['[admin]']],
    ['an element holding a control character', ['admin\u0000']],
    ['an empty element', ['']],
    ['an element longer than 128 characters', ['a'.repeat(129)]],
    ['a number', 42],
    ['an object', { admin: true }],
    ['an array of non-strings', [1, true]],
  ])('refuses %s with 401, naming the claim, instead of splitting it', (_form, value) => {
    expect(() => parseListClaim(roles(value))).toThrow(UnauthenticatedError);
    expect(() => parseListClaim(roles(value))).toThrow(/"roles" claim/);
  });
});

describe('parseRenderedListClaim (claims only as API Gateway rendered them)', () => {
  it.each<[string, unknown, string[]]>([
    ['the HTTP API form "[a b]"', '[admin approver]', ['admin', 'approver']],
    ['the HTTP API form with one element', '[admin]', ['admin']],
    ['the HTTP API form, empty', '[]', []],
    ['a single bare value', 'admin', ['admin']],
    ['an empty string', '', []],
    ['undefined', undefined, []],
  ])('reads %s', (_form, value, expected) => {
    expect(parseRenderedListClaim(roles(value))).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['["requester,admin"] as API Gateway renders it', '[requester,admin]'],
    ['a space-separated string', 'requester admin'],
    ['a comma-separated string', 'requester,admin'],
    ['a value that held a space (double space in the rendering)', '[requester  admin]'],
    ['a JSON array in a string', '["requester","admin"]'],
  ])('refuses %s with 401', (_form, value) => {
    expect(() => parseRenderedListClaim(roles(value))).toThrow(UnauthenticatedError);
  });
});

/** A JWT as the Authorization header carries it; the signature is API Gateway's business, not Latchkey's. */
const bearer = (payload: Record<string, unknown>) =>
  `Bearer ${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;
/** What HTTP API passes on for those claims. */
const renderedClaims = (payload: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));

describe('typedClaims', () => {
  it.each<[string, unknown]>([
    ['the string "[requester admin]"', '[requester admin]'],
    ['the one-element array ["requester admin"]', ['requester admin']],
    ['the one-element array ["requester,admin"]', ['requester,admin']],
  ])('tells %s, which API Gateway renders like a list of roles, from that list: 401', (_case, value) => {
    const payload = { sub: 'alice', tenant: 'acme', roles: value };
    const typed = typedClaims(bearer(payload), renderedClaims(payload), defaultClaimNames);

    expect(typed).toEqual(payload);
    expect(() => principalFromClaims(typed!)).toThrow(UnauthenticatedError);
  });

  it('reads a real list of roles from the token', () => {
    const payload = { sub: 'alice', tenant: 'acme', roles: ['requester', 'admin'], groups: ['dba'] };
    const typed = typedClaims(bearer(payload), renderedClaims(payload), defaultClaimNames);

    expect(principalFromClaims(typed!)).toMatchObject({ roles: ['requester', 'admin'], groups: ['dba'] });
  });

  it.each<[string, string | undefined, Record<string, unknown>]>([
    ['no Authorization header', undefined, { sub: 'alice', tenant: 'acme', roles: '[admin]' }],
    ['a header that is not a JWT', 'Bearer not-a-jwt', { sub: 'alice', tenant: 'acme', roles: '[admin]' }],
    ['a token whose roles differ from what API Gateway passed on', bearer({ sub: 'alice', tenant: 'acme', roles: ['admin'] }), { sub: 'alice', tenant: 'acme', roles: '[requester]' }],
    ['a token of another subject', bearer({ sub: 'mallory', tenant: 'acme' }), { sub: 'alice', tenant: 'acme' }],
  ])('is undefined for %s: only the rendered claims count then', (_case, authorization, claims) => {
    expect(typedClaims(authorization, claims, defaultClaimNames)).toBeUndefined();
  });
});

describe('principalFromClaims (rendered claims)', () => {

  it('reads the claims of the HTTP API fixture event into a user principal', () => {
    const claims = httpApiJwtEvent().requestContext.authorizer.jwt.claims;

    expect(fromRendered(claims)).toEqual({
      id: 'alice',
      kind: 'user',
      tenantId: 'acme',
      roles: ['requester', 'approver'],
      groups: ['dba', 'oncall'],
      displayName: 'Alice Example',
    });
  });

  it('drops roles Latchkey does not know', () => {
    const principal = fromRendered({ sub: 'alice', tenant: 'acme', roles: '[admin superuser root auditor]' });

    expect(principal.roles).toEqual(['admin', 'auditor']);
  });

  it('authenticates a token without roles or groups claims, as a principal with none', () => {
    expect(fromRendered({ sub: 'alice', tenant: 'acme' })).toMatchObject({ roles: [], groups: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a group name longer than 128 characters', { groups: `[dba ${'x'.repeat(129)}]` }],
    ['roles joined with a comma', { roles: '[requester,admin]' }],
    ['groups joined with a comma', { groups: 'dba,oncall' }],
  ])('refuses %s (401) rather than dropping or splitting it', (_case, lists) => {
    expect(() => fromRendered({ sub: 'alice', tenant: 'acme', ...lists })).toThrow(UnauthenticatedError);
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
    expect(() => fromRendered(claims)).toThrow(UnauthenticatedError);
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
      'Okta: the user id as the subject, custom claims from profile attributes, roles from a string-array attribute',
      names({ subject: 'uid', tenant: 'latchkeyTenant', roles: 'latchkeyRoles' }),
      { sub: 'alice@acme.example', uid: '00u1a2b3c4D5e6F7g8h9', latchkeyTenant: 'acme', latchkeyRoles: '[requester approver]', groups: '[dba oncall]' },
      { id: '00u1a2b3c4D5e6F7g8h9', tenantId: 'acme', roles: ['requester', 'approver'], groups: ['dba', 'oncall'] },
    ],
  ])('reads %s', (_idp, claimNames, claims, expected) => {
    expect(fromRendered(claims, claimNames)).toEqual({ kind: 'user', ...expected });
  });

  it('never falls back to the default names: a token with only `tenant` is refused when the tenant claim is namespaced', () => {
    const namespaced = names({ tenant: 'https://latchkey.example/tenant' });

    expect(() => fromRendered({ sub: 'alice', tenant: 'acme', roles: '[admin]' }, namespaced)).toThrow(UnauthenticatedError);
    expect(fromRendered({ sub: 'alice', tenant: 'globex', 'https://latchkey.example/tenant': 'acme' }, namespaced).tenantId).toBe('acme');
  });

  it('takes roles only from the roles claim, not from a claim of the default name', () => {
    const principal = fromRendered({ sub: 'alice', tenant: 'acme', roles: '[admin]', 'https://latchkey.example/roles': '[requester]' }, names({ roles: 'https://latchkey.example/roles' }));

    expect(principal.roles).toEqual(['requester']);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no subject', { 'https://latchkey.example/tenant': 'acme' }, /subject claim \("oid"\)/],
    ['no tenant', { oid: 'alice' }, /tenant claim \("https:\/\/latchkey\.example\/tenant"\)/],
  ])('names the configured claim when the token has %s', (_case, claims, message) => {
    expect(() => fromRendered(claims, names({ subject: 'oid', tenant: 'https://latchkey.example/tenant' }))).toThrow(message);
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['an object', { first: 'Alice' }],
    ['longer than 256 characters', 'x'.repeat(257)],
    ['empty', ''],
  ])('ignores a display name that is %s, instead of refusing the login', (_case, name) => {
    const principal = fromRendered({ sub: 'alice', tenant: 'acme', name });

    expect(principal).toMatchObject({ id: 'alice', tenantId: 'acme' });
    expect(principal).not.toHaveProperty('displayName');
  });

  it('reads the display name from its configured claim', () => {
    expect(fromRendered({ sub: 'alice', tenant: 'acme', name: 'ignored', given_name: 'Alice' }, names({ displayName: 'given_name' })).displayName).toBe('Alice');
  });

  it('counts a role or group named twice once', () => {
    const principal = fromRendered({ sub: 'alice', tenant: 'acme', roles: '[admin admin]', groups: '[dba dba]' });

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
