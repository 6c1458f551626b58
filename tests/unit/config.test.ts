import { describe, expect, it } from 'vitest';
import { claimNamesOf, loadConfig } from '#shared/config';
import { defaultClaimNames } from '#shared/kernel/principal';

// The environment every function parses at cold start: a wrong claim-name setting fails there,
// loudly and by name, instead of turning every login into a 401.

const base = { MAIN_TABLE: 'latchkey-main-prod', LOG_TABLE: 'latchkey-log-prod' };

describe('claim names in the environment', () => {
  it('defaults to the names the development issuer mints', () => {
    expect(claimNamesOf(loadConfig(base))).toEqual(defaultClaimNames);
    expect(defaultClaimNames).toEqual({ subject: 'sub', tenant: 'tenant', roles: 'roles', groups: 'groups', displayName: 'name' });
  });

  it('treats an empty setting as unset (what an empty --param gives)', () => {
    expect(claimNamesOf(loadConfig({ ...base, JWT_CLAIM_TENANT: '' })).tenant).toBe('tenant');
  });

  it.each([
    ['an Auth0 namespaced URL', 'JWT_CLAIM_TENANT', 'https://latchkey.example/tenant', 'tenant'],
    ['a Cognito claim with a colon', 'JWT_CLAIM_GROUPS', 'cognito:groups', 'groups'],
    ['an Entra ID directory extension', 'JWT_CLAIM_TENANT', 'extension_3f2c0c5ad7b04e6f8c1a2b3c4d5e6f70_latchkeyTenant', 'tenant'],
    ['Entra ID object id as the subject', 'JWT_CLAIM_SUBJECT', 'oid', 'subject'],
    ['OAuth scopes as the roles', 'JWT_CLAIM_ROLES', 'scope', 'roles'],
    ['a 256-character name', 'JWT_CLAIM_NAME', 'n'.repeat(256), 'displayName'],
  ] as const)('accepts %s', (_case, variable, value, key) => {
    expect(claimNamesOf(loadConfig({ ...base, [variable]: value }))[key]).toBe(value);
  });

  it('accepts roles and groups read from one claim (groups named after the roles)', () => {
    const names = claimNamesOf(loadConfig({ ...base, JWT_CLAIM_ROLES: 'cognito:groups', JWT_CLAIM_GROUPS: 'cognito:groups' }));

    expect(names).toMatchObject({ roles: 'cognito:groups', groups: 'cognito:groups' });
  });

  it.each([
    ['a space', 'JWT_CLAIM_TENANT', 'latchkey tenant', /JWT_CLAIM_TENANT: must be a claim name/],
    ['a non-ASCII character', 'JWT_CLAIM_ROLES', 'rôles', /JWT_CLAIM_ROLES: must be a claim name/],
    ['a control character', 'JWT_CLAIM_GROUPS', 'groups\n', /JWT_CLAIM_GROUPS: must be a claim name/],
    ['257 characters', 'JWT_CLAIM_NAME', 'n'.repeat(257), /JWT_CLAIM_NAME: must be a claim name/],
    ['the audience claim', 'JWT_CLAIM_TENANT', 'aud', /JWT_CLAIM_TENANT: names a registered claim/],
    ['the issuer claim', 'JWT_CLAIM_SUBJECT', 'iss', /JWT_CLAIM_SUBJECT: names a registered claim/],
    ['the expiry claim', 'JWT_CLAIM_ROLES', 'exp', /JWT_CLAIM_ROLES: names a registered claim/],
  ])('fails the cold start on a claim name with %s', (_case, variable, value, message) => {
    expect(() => loadConfig({ ...base, [variable]: value })).toThrow(message);
  });

  it.each([
    ['the tenant read from the subject claim', { JWT_CLAIM_TENANT: 'sub' }, /JWT_CLAIM_SUBJECT: must name a claim of its own, not the one JWT_CLAIM_TENANT names \("sub"\)/],
    ['the tenant read from the groups claim', { JWT_CLAIM_TENANT: 'groups' }, /JWT_CLAIM_TENANT: must name a claim of its own, not the one JWT_CLAIM_GROUPS names/],
    ['the subject read from the roles claim', { JWT_CLAIM_SUBJECT: 'roles' }, /JWT_CLAIM_SUBJECT: must name a claim of its own, not the one JWT_CLAIM_ROLES names/],
  ])('fails the cold start with %s', (_case, env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('names every wrong setting at once, field by field', () => {
    expect(() => loadConfig({ JWT_CLAIM_TENANT: 'a b' })).toThrow(/^Invalid environment: MAIN_TABLE: .+; LOG_TABLE: .+; JWT_CLAIM_TENANT: must be a claim name/);
  });
});
