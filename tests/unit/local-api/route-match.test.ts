import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute } from '#dev/local-api/route-match';

// API Gateway picks the most specific route; the local API must pick the same one.

const routes = compileRoutes([
  { method: 'GET', path: '/requests' },
  { method: 'GET', path: '/requests/{requestId}' },
  { method: 'POST', path: '/requests/{requestId}/approve' },
  { method: 'GET', path: '/requests/mine' },
  { method: 'ANY', path: '/files/{proxy+}' },
  { method: 'GET', path: '/files/{proxy+}' },
]);

describe('route matching', () => {
  it.each([
    ['GET', '/requests', '/requests', {}],
    ['GET', '/requests/r-1', '/requests/{requestId}', { requestId: 'r-1' }],
    ['GET', '/requests/mine', '/requests/mine', {}],
    ['POST', '/requests/r%201/approve', '/requests/{requestId}/approve', { requestId: 'r 1' }],
    ['GET', '/files/a/b/c', '/files/{proxy+}', { proxy: 'a/b/c' }],
  ])('%s %s → %s', (method, path, template, params) => {
    expect(matchRoute(routes, method, path)).toEqual({ route: expect.objectContaining({ path: template }), pathParameters: params });
  });

  it('prefers an exact method over ANY', () => {
    expect(matchRoute(routes, 'GET', '/files/x')?.route.method).toBe('GET');
    expect(matchRoute(routes, 'DELETE', '/files/x')?.route.method).toBe('ANY');
  });

  it.each([
    ['a method the path does not have', 'DELETE', '/requests/r-1'],
    ['an extra segment', 'GET', '/requests/r-1/extra'],
    ['an empty parameter', 'GET', '/requests/'],
    ['an unknown path', 'GET', '/nope'],
  ])('matches nothing for %s', (_name, method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });
});
