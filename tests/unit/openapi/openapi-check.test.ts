import { describe, expect, it } from 'vitest';
import { documentProblems, templateOf } from '../../support/openapi-check.ts';

// The e2e suite's check of every answer against docs/openapi.json must catch what it is there to catch.

const me = { id: 'alice', kind: 'user', tenantId: 'acme', roles: ['requester'], groups: [] };
const json = 'application/json; charset=utf-8';

describe('documentProblems', () => {
  it('matches concrete paths to their templates, literal segments first', () => {
    expect(templateOf('/requests/req_01HZZZZZZZZZZZZZZZZZZZZZZZ/approve')).toBe('/requests/{requestId}/approve');
    expect(templateOf('/audit/events/export?format=csv')).toBe('/audit/events/export');
    expect(templateOf('/no/such/route')).toBeUndefined();
  });

  it('accepts an answer the document describes', () => {
    expect(documentProblems({ method: 'GET', path: '/me', status: 200, contentType: json, body: me })).toEqual([]);
    expect(documentProblems({ method: 'GET', path: '/me', status: 401, contentType: json, body: { message: 'Unauthorized' } })).toEqual([]);
    expect(documentProblems({ method: 'GET', path: '/audit/events/export', status: 200, contentType: 'text/csv; charset=utf-8; header=present', body: 'at,action\n' })).toEqual([]);
  });

  it('refuses a field the schema does not have, a missing one, and a wrong type', () => {
    expect(documentProblems({ method: 'GET', path: '/me', status: 200, contentType: json, body: { ...me, secret: 'x' } })[0]).toMatch(/GET \/me 200: the body does not match.*additional properties/);
    const { roles: _r, ...noRoles } = me;
    expect(documentProblems({ method: 'GET', path: '/me', status: 200, contentType: json, body: noRoles })[0]).toMatch(/must have required property 'roles'/);
    expect(documentProblems({ method: 'GET', path: '/me', status: 200, contentType: json, body: { ...me, roles: ['root'] } })[0]).toMatch(/must be equal to one of the allowed values/);
  });

  it('refuses an undocumented status, an error code the route does not answer, and an undocumented content type', () => {
    expect(documentProblems({ method: 'GET', path: '/me', status: 409, contentType: json, body: { error: 'conflict', message: 'x' } })[0]).toMatch(/GET \/me answered 409, which docs\/openapi.json does not document/);
    expect(documentProblems({ method: 'POST', path: '/requests', status: 400, contentType: json, body: { error: 'not_found', message: 'x' } })[0]).toMatch(/POST \/requests 400: the body does not match/);
    expect(documentProblems({ method: 'GET', path: '/me', status: 200, contentType: 'text/html', body: '<p>' })[0]).toMatch(/answered text\/html/);
  });

  it('leaves routes the API does not have to API Gateway', () => {
    expect(documentProblems({ method: 'GET', path: '/no/such/route', status: 404, contentType: json, body: { message: 'Not Found' } })).toEqual([]);
  });
});
