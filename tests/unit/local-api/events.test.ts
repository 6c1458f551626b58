import { describe, expect, it } from 'vitest';
import { restEvent, restResponse } from '#dev/local-api/event-v1';
import { httpApiEvent, httpApiResponse } from '#dev/local-api/event-v2';
import type { LocalRequest } from '#dev/local-api/http-io';
import { scheduledEvent } from '#dev/local-api/schedules';

// The payloads the local API hands to handlers, and how it maps their answers,
// follow API Gateway's documented proxy-integration formats.

const request = (over: Partial<LocalRequest> = {}): LocalRequest => ({
  method: 'POST',
  rawPath: '/requests/r-1/approve',
  rawQueryString: 'a=1&a=2&b=x%20y',
  rawHeaders: [
    ['Content-Type', 'application/json'],
    ['X-Multi', 'one'],
    ['X-Multi', 'two'],
    ['Cookie', 'c1=v1; c2=v2'],
    ['User-Agent', 'test'],
  ],
  body: Buffer.from('{"note":"ok"}'),
  sourceIp: '127.0.0.1',
  requestId: 'req-1',
  receivedAt: new Date('2026-03-12T19:03:58.123Z'),
  ...over,
});
const httpRoute = { api: 'httpApi' as const, method: 'POST', path: '/requests/{requestId}/approve', routeKey: 'POST /requests/{requestId}/approve', functionName: 'approve-request', authorizer: 'people' };
const restRoute = { api: 'rest' as const, method: 'POST', path: '/requests/{requestId}/cancel', functionName: 'cancel-request', authorizer: 'aws_iam' as const };

describe('payload 2.0 event (HTTP API)', () => {
  const event = httpApiEvent(request(), httpRoute, { requestId: 'r-1' }, { claims: { sub: 'alice' }, scopes: null }, '127.0.0.1:4480');

  it('lower-cases header names, joins repeats with commas and moves cookies out', () => {
    expect(event.headers).toEqual({ 'content-type': 'application/json', 'x-multi': 'one,two', 'user-agent': 'test' });
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
  });

  it('joins repeated query parameters with commas and keeps the raw query string', () => {
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x y' });
    expect(event.rawQueryString).toBe('a=1&a=2&b=x%20y');
  });

  it('keeps a __proto__ parameter or header as a key, as API Gateway does (an object literal would drop it)', () => {
    const tricky = httpApiEvent(request({ rawQueryString: '__proto__=x&constructor=y', rawHeaders: [['__proto__', 'h']] }), httpRoute, {}, undefined, 'h');

    expect(Object.keys(tricky.queryStringParameters ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(tricky.queryStringParameters, '__proto__')?.value).toBe('x');
    expect(Object.getOwnPropertyDescriptor(tricky.headers, '__proto__')?.value).toBe('h');
    expect(Object.getPrototypeOf(tricky.queryStringParameters)).toBe(Object.prototype);
  });

  it('carries the route, the path parameters, the body and the JWT context', () => {
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /requests/{requestId}/approve',
      rawPath: '/requests/r-1/approve',
      pathParameters: { requestId: 'r-1' },
      body: '{"note":"ok"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/requests/r-1/approve', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'req-1',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: Date.parse('2026-03-12T19:03:58.123Z'),
        authorizer: { jwt: { claims: { sub: 'alice' }, scopes: null } },
      },
    });
  });

  it('omits body and empty collections for a bare GET', () => {
    const bare = httpApiEvent(request({ method: 'GET', rawQueryString: '', rawHeaders: [], body: Buffer.alloc(0) }), httpRoute, {}, undefined, 'h');
    expect(bare).not.toHaveProperty('body');
    expect(bare).not.toHaveProperty('queryStringParameters');
    expect(bare).not.toHaveProperty('pathParameters');
    expect(bare).not.toHaveProperty('cookies');
  });
});

describe('payload 2.0 response mapping', () => {
  it('keeps status, headers and body verbatim', () => {
    const r = httpApiResponse({ statusCode: 201, headers: { 'Content-Type': 'application/json; charset=utf-8', 'x-n': 1 }, body: '{"a" : 1}' });
    expect(r).toEqual({ status: 201, headers: [['Content-Type', 'application/json; charset=utf-8'], ['x-n', '1']], body: Buffer.from('{"a" : 1}') });
  });

  it('turns a bare value into a 200 JSON body', () => {
    expect(httpApiResponse({ message: 'hi' })).toEqual({ status: 200, headers: [['content-type', 'application/json']], body: Buffer.from('{"message":"hi"}') });
    expect(httpApiResponse('hello').body.toString()).toBe('hello');
  });

  it('decodes base64 bodies and emits each cookie as set-cookie', () => {
    const r = httpApiResponse({ statusCode: 200, body: Buffer.from('bin').toString('base64'), isBase64Encoded: true, cookies: ['a=1', 'b=2'] });
    expect(r.body.toString()).toBe('bin');
    expect(r.headers.filter(([n]) => n === 'set-cookie')).toHaveLength(2);
  });

  it.each([[{ statusCode: 'abc' }], [{ statusCode: 200, body: { not: 'a string' } }], [{ statusCode: 42 }]])('answers 500 for a malformed result %j', (result) => {
    expect(httpApiResponse(result)).toMatchObject({ status: 500 });
    expect(JSON.parse(httpApiResponse(result).body.toString())).toEqual({ message: 'Internal Server Error' });
  });
});

describe('payload 1.0 event (REST API)', () => {
  const identity = { accessKey: 'ASIAX', accountId: '111122223333', caller: 'AROAX:s', userArn: 'arn:aws:sts::111122223333:assumed-role/r/s' };
  const event = restEvent(request({ rawPath: '/requests/r-1/cancel' }), restRoute, { requestId: 'r-1' }, identity, 'h');

  it('keeps header spelling, the last value and all values', () => {
    expect(event.headers['X-Multi']).toBe('two');
    expect(event.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
    expect(event.queryStringParameters).toEqual({ a: '2', b: 'x y' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x y'] });
  });

  it('keeps a __proto__ parameter or header as a key, as API Gateway does', () => {
    const tricky = restEvent(request({ rawQueryString: '__proto__=x&__proto__=z', rawHeaders: [['__proto__', 'h']] }), restRoute, {}, identity, 'h');

    expect(Object.getOwnPropertyDescriptor(tricky.queryStringParameters, '__proto__')?.value).toBe('z');
    expect(Object.getOwnPropertyDescriptor(tricky.multiValueQueryStringParameters, '__proto__')?.value).toEqual(['x', 'z']);
    expect(Object.getOwnPropertyDescriptor(tricky.headers, '__proto__')?.value).toBe('h');
    expect(Object.getOwnPropertyDescriptor(tricky.multiValueHeaders, '__proto__')?.value).toEqual(['h']);
  });

  it('describes the IAM caller and the resource', () => {
    expect(event).toMatchObject({ resource: '/requests/{requestId}/cancel', path: '/requests/r-1/cancel', httpMethod: 'POST', pathParameters: { requestId: 'r-1' } });
    expect(event.requestContext.identity).toMatchObject({ userArn: identity.userArn, accountId: '111122223333', caller: 'AROAX:s', accessKey: 'ASIAX', sourceIp: '127.0.0.1' });
  });

  it('answers 502 for a result without statusCode, as REST does', () => {
    expect(restResponse({ hello: 'x' }).status).toBe(502);
    expect(restResponse({ statusCode: 204 }).status).toBe(204);
  });
});

describe('schedule event', () => {
  it('has the EventBridge "Scheduled Event" shape', () => {
    const event = scheduledEvent('rule-1', 'eu-central-1', new Date('2026-01-02T03:04:05.678Z'));
    expect(event).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-01-02T03:04:05Z', region: 'eu-central-1', detail: {} });
    expect(event.resources[0]).toMatch(/^arn:aws:events:eu-central-1:\d{12}:rule\/rule-1$/);
  });
});
