import { describe, expect, it } from 'vitest';
import { apiGatewayClaims, apiGatewayClaimValue, apiGatewayScopes } from '#dev/local-api/claims';
import { principalFromClaims, typedClaims } from '#shared/http/resolve-principal';
import { defaultClaimNames } from '#shared/kernel/principal';

// HTTP API passes every JWT claim to Lambda as a string; arrays as "[a b]".
// The local API must do the same so handlers parse claims as they will in AWS.

describe('claim representation of the HTTP API JWT authorizer', () => {
  it.each([
    ['a string', 'acme', 'acme'],
    ['an integer', 1718000000, '1718000000'],
    ['a boolean', true, 'true'],
    ['an array of strings', ['requester', 'approver'], '[requester approver]'],
    ['an empty array', [], '[]'],
    ['a one-element array', ['dba'], '[dba]'],
    ['an array of numbers', [1, 2], '[1 2]'],
    ['an object, keys sorted', { b: 2, a: 'x' }, 'map[a:x b:2]'],
    ['null', null, '<nil>'],
  ])('renders %s as a string', (_name, value, expected) => {
    expect(apiGatewayClaimValue(value)).toBe(expected);
  });

  it('turns a whole payload into a map of strings', () => {
    const claims = apiGatewayClaims({ sub: 'alice', aud: ['latchkey', 'other'], exp: 2, roles: ['admin'] });
    expect(claims).toEqual({ sub: 'alice', aud: '[latchkey other]', exp: '2', roles: '[admin]' });
  });

  it('splits scope into scopes and gives null when there is none', () => {
    expect(apiGatewayScopes({ scope: 'read write' })).toEqual(['read', 'write']);
    expect(apiGatewayScopes({ scp: ['read'] })).toEqual(['read']);
    expect(apiGatewayScopes({})).toBeNull();
  });

  it('is what the handlers parse back into roles and groups', () => {
    const claims = apiGatewayClaims({ sub: 'alice', tenant: 'acme', roles: ['requester', 'approver'], groups: ['dba'], iat: 1 });
    expect(principalFromClaims(claims, defaultClaimNames, 'rendered')).toMatchObject({ id: 'alice', tenantId: 'acme', roles: ['requester', 'approver'], groups: ['dba'] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['lists', { sub: 'alice', tenant: 'acme', roles: ['requester', 'approver'], groups: ['dba'], iat: 1, name: 'Alice' }],
    ['a string that looks like a list', { sub: 'alice', tenant: 'acme', roles: '[requester admin]' }],
    ['empty lists and a numeric name', { sub: 'alice', tenant: 'acme', roles: [], groups: [], name: 42 }],
  ])('renders %s so that the handlers take the bearer token for the very claims it passed on', (_case, payload) => {
    const bearer = `Bearer e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;
    expect(typedClaims(bearer, apiGatewayClaims(payload), defaultClaimNames)).toEqual(payload);
  });
});
