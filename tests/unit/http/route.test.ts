import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '#shared/kernel/errors';
import { createRoute, maxBodyBytes, type ApiEvent, type Reply, type RouteInput } from '#shared/http/route';
import { createRequestBody, decisionBody, listRequestsQuery, requestPath } from '#shared/requests/schemas';
import { InMemoryServiceStore, TENANT } from '../../support/fakes/index.ts';
import { httpApiJwtEvent, lambdaContext, restIamEvent, withClaims } from './events.ts';

// Handler-level: the real middy chain built by createRoute, the fixture events as
// API Gateway sends them, and a spy where the use case would be.
type Spy = ReturnType<typeof vi.fn<(input: RouteInput<unknown, unknown, unknown>) => Promise<Reply>>>;

async function services() {
  const store = new InMemoryServiceStore();
  await store.register(
    { roleArn: 'arn:aws:iam::444455556666:role/etl-reader', name: 'ETL', access: [{ targetId: 'tgt_0000000901', databaseUsers: ['app_ro'] }], autoApprove: false, tenantId: TENANT, createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'erin' },
    { tenantId: TENANT, at: '2030-01-01T00:00:00.000Z', action: 'service.registered', actorId: 'erin', actorKind: 'user', outcome: 'success' },
  );
  return store;
}

async function createRequestRoute() {
  const useCase: Spy = vi.fn(async () => ({ status: 201, body: { ok: true } }));
  const handler = createRoute(await services())({ body: createRequestBody }, useCase);
  const invoke = (event: ApiEvent) => handler(event, lambdaContext);
  return { useCase, invoke };
}

const parsed = (result: { body: string }) => JSON.parse(result.body) as { error?: string; message?: string; details?: unknown };

beforeEach(() => vi.stubEnv('LATCHKEY_SILENT', '1'));
afterEach(() => vi.unstubAllEnvs());

describe('the tenant scope of a route', () => {
  it('runs the use case, and only it, as the caller’s tenant (JWT and SigV4 callers alike)', async () => {
    const scopes: string[] = [];
    let current: string | undefined;
    const asTenant = async <T>(tenantId: string, work: () => Promise<T>): Promise<T> => {
      scopes.push(tenantId);
      current = tenantId;
      try {
        return await work();
      } finally {
        current = undefined;
      }
    };
    const seen: (string | undefined)[] = [];
    const store = await services();
    const findByRole = store.findByRole.bind(store);
    store.findByRole = async (...args) => {
      seen.push(`lookup:${current ?? 'none'}`);
      return findByRole(...args);
    };
    const handler = createRoute(store, undefined, asTenant)({ body: createRequestBody }, async ({ principal }) => {
      seen.push(`${principal.tenantId}:${current ?? 'none'}`);
      return { status: 201, body: {} };
    });

    expect((await handler(httpApiJwtEvent(), lambdaContext)).statusCode).toBe(201);
    expect((await handler(restIamEvent(), lambdaContext)).statusCode).toBe(201);

    expect(scopes).toEqual([TENANT, TENANT]);
    // The SigV4 identity lookup comes before the caller's tenant is known: it runs as the function's own role.
    expect(seen).toEqual([`${TENANT}:${TENANT}`, 'lookup:none', `${TENANT}:${TENANT}`]);
  });
});

describe('a route with a body, called through the HTTP API (JWT)', () => {
  it('hands the use case the validated body and the principal from the claims', async () => {
    const { useCase, invoke } = await createRequestRoute();

    const result = await invoke(httpApiJwtEvent());

    expect(result.statusCode).toBe(201);
    expect(useCase).toHaveBeenCalledTimes(1);
    expect(useCase.mock.calls[0]![0]).toEqual({
      body: { targetId: 'tgt_0000000901', databaseUser: 'app_ro', durationMinutes: 60, reason: 'debug INC-77' },
      path: undefined,
      query: undefined,
      principal: { id: 'alice', kind: 'user', tenantId: 'acme', roles: ['requester', 'approver'], groups: ['dba', 'oncall'], displayName: 'Alice Example' },
    });
  });

  it('accepts a base64-encoded body', async () => {
    const { useCase, invoke } = await createRequestRoute();
    const event = httpApiJwtEvent();

    const result = await invoke({ ...event, body: Buffer.from(event.body!).toString('base64'), isBase64Encoded: true });

    expect(result.statusCode).toBe(201);
    expect(useCase).toHaveBeenCalledTimes(1);
  });

  it.each<[string, (e: ReturnType<typeof httpApiJwtEvent>) => ApiEvent, number, string]>([
    ['malformed JSON', (e) => ({ ...e, body: '{"targetId": "tgt_0000000901",' }), 400, 'malformed_json'],
    ['a JSON body that is not an object', (e) => ({ ...e, body: '"hello"' }), 400, 'validation_failed'],
    ['JSON null', (e) => ({ ...e, body: 'null' }), 400, 'validation_failed'],
    ['a wrong content type', (e) => ({ ...e, headers: { ...e.headers, 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ['form encoding', (e) => ({ ...e, headers: { ...e.headers, 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'],
    ['no content type', (e) => ({ ...e, headers: { host: 'a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com' } }), 415, 'unsupported_media_type'],
    ['a body over 32 KiB', (e) => ({ ...e, body: JSON.stringify({ ...JSON.parse(e.body!), reason: 'x'.repeat(maxBodyBytes) }) }), 413, 'payload_too_large'],
    ['a base64 body over 32 KiB once decoded', (e) => ({ ...e, isBase64Encoded: true, body: Buffer.from(`{"reason":"${'y'.repeat(maxBodyBytes)}"}`).toString('base64') }), 413, 'payload_too_large'],
    ['an unknown body field', (e) => ({ ...e, body: JSON.stringify({ ...JSON.parse(e.body!), tenantId: 'globex' }) }), 400, 'validation_failed'],
    ['a field of the wrong type', (e) => ({ ...e, body: JSON.stringify({ ...JSON.parse(e.body!), durationMinutes: '60' }) }), 400, 'validation_failed'],
    ['a missing field', (e) => ({ ...e, body: JSON.stringify({ targetId: 'tgt_0000000901' }) }), 400, 'validation_failed'],
    ['no body at all', (e) => ({ ...e, body: undefined }), 400, 'validation_failed'],
    ['no authorizer claims', (e) => withClaims(e, undefined), 401, 'unauthenticated'],
    ['claims without a tenant', (e) => withClaims(e, { sub: 'alice', roles: '[requester]' }), 401, 'unauthenticated'],
    ['claims with a malformed tenant', (e) => withClaims(e, { sub: 'alice', tenant: 'T#globex', roles: '[requester]' }), 401, 'unauthenticated'],
    ['claims without a subject', (e) => withClaims(e, { tenant: 'acme', roles: '[requester]' }), 401, 'unauthenticated'],
  ])('answers %s with %i and never calls the use case', async (_case, mutate, status, code) => {
    const { useCase, invoke } = await createRequestRoute();

    const result = await invoke(mutate(httpApiJwtEvent()));

    expect(result.statusCode).toBe(status);
    expect(parsed(result)).toMatchObject({ error: code, message: expect.any(String) });
    expect(useCase).not.toHaveBeenCalled();
  });

  it('names the offending field in the details of a 400', async () => {
    const { invoke } = await createRequestRoute();
    const event = httpApiJwtEvent();

    const result = await invoke({ ...event, body: JSON.stringify({ ...JSON.parse(event.body!), durationMinutes: 0 }) });

    expect(parsed(result).details).toEqual([expect.objectContaining({ path: 'durationMinutes' })]);
  });
});

describe('a route built with the claim names of a deployment', () => {
  const claimNames = { subject: 'oid', tenant: 'https://latchkey.example/tenant', roles: 'https://latchkey.example/roles', groups: 'groups', displayName: 'name' };

  it('resolves the principal from the configured claims', async () => {
    const useCase: Spy = vi.fn(async () => ({ status: 200, body: {} }));
    const handler = createRoute(await services(), claimNames)({}, useCase);
    const claims = { sub: 'pairwise', oid: 'alice-oid', 'https://latchkey.example/tenant': 'acme', 'https://latchkey.example/roles': '[auditor]', tenant: 'globex', roles: '[admin]' };

    const result = await handler(withClaims(httpApiJwtEvent(), claims), lambdaContext);

    expect(result.statusCode).toBe(200);
    expect(useCase.mock.calls[0]![0].principal).toEqual({ id: 'alice-oid', kind: 'user', tenantId: 'acme', roles: ['auditor'], groups: [] });
  });

  it('answers 401, and does not run the use case, for a token that carries the tenant only under the default name', async () => {
    const useCase: Spy = vi.fn(async () => ({ status: 200, body: {} }));
    const handler = createRoute(await services(), claimNames)({}, useCase);

    const result = await handler(withClaims(httpApiJwtEvent(), { oid: 'alice-oid', tenant: 'acme', roles: '[admin]' }), lambdaContext);

    expect(result.statusCode).toBe(401);
    expect(parsed(result).message).toContain('"https://latchkey.example/tenant"');
    expect(useCase).not.toHaveBeenCalled();
  });
});

describe('a route called through the REST API (SigV4, IAM)', () => {
  it('resolves the registered role session to its service principal', async () => {
    const { useCase, invoke } = await createRequestRoute();

    const result = await invoke(restIamEvent());

    expect(result.statusCode).toBe(201);
    expect(useCase.mock.calls[0]![0].principal).toMatchObject({ id: 'arn:aws:iam::444455556666:role/etl-reader', kind: 'service', tenantId: TENANT, roles: ['requester'] });
  });

  it.each([
    ['an unregistered role', 'arn:aws:sts::444455556666:assumed-role/someone-else/run-1'],
    ['an IAM user', 'arn:aws:iam::444455556666:user/etl-reader'],
  ])('refuses %s with 403 and never calls the use case', async (_case, userArn) => {
    const { useCase, invoke } = await createRequestRoute();
    const event = restIamEvent();

    const result = await invoke({ ...event, requestContext: { ...event.requestContext, identity: { ...event.requestContext.identity, userArn } } });

    expect(result.statusCode).toBe(403);
    expect(useCase).not.toHaveBeenCalled();
  });

  it('reads the Content-Type header whatever its case', async () => {
    const { useCase, invoke } = await createRequestRoute();
    const event = restIamEvent();

    const result = await invoke({ ...event, headers: { ...event.headers, 'Content-Type': undefined, 'CONTENT-TYPE': 'application/json; charset=utf-8' } });

    expect(result.statusCode).toBe(201);
    expect(useCase).toHaveBeenCalledTimes(1);
  });
});

describe('paths, queries and use-case errors', () => {
  async function decisionRoute(run?: Spy) {
    const useCase: Spy = run ?? vi.fn(async () => ({ status: 200, body: {} }));
    const handler = createRoute(await services())({ path: requestPath, body: decisionBody }, useCase);
    return { useCase, invoke: (event: ApiEvent) => handler(event, lambdaContext) };
  }
  const decisionEvent = (pathParameters: Record<string, string>, body = '{}') => ({ ...httpApiJwtEvent(), routeKey: 'POST /requests/{requestId}/approve', pathParameters, body });

  it('hands a valid path parameter through', async () => {
    const { useCase, invoke } = await decisionRoute();

    const result = await invoke(decisionEvent({ requestId: 'req_01JH0000000000000000000000' }, '{"note":"ok"}'));

    expect(result.statusCode).toBe(200);
    expect(useCase.mock.calls[0]![0]).toMatchObject({ path: { requestId: 'req_01JH0000000000000000000000' }, body: { note: 'ok' } });
  });

  it.each([
    ['a malformed id', { requestId: '../../T#globex' }],
    ['an id with a key separator', { requestId: 'req_0000000001#REQ#x' }],
    ['an extra parameter', { requestId: 'req_0000000001', tenantId: 'globex' }],
    ['no parameter', {}],
  ])('answers %s in the path with 400 and never calls the use case', async (_case, pathParameters) => {
    const { useCase, invoke } = await decisionRoute();

    const result = await invoke(decisionEvent(pathParameters));

    expect(result.statusCode).toBe(400);
    expect(useCase).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown view', { view: 'everything' }],
    ['an unknown status', { view: 'tenant', status: 'active' }],
    ['a limit over 100', { limit: '1000' }],
    ['a limit that is not a number', { limit: 'ten' }],
    ['an unknown parameter', { tenant: 'globex' }],
    ['a __proto__ parameter', Object.fromEntries([['__proto__', 'x']])],
  ])('answers %s in the query with 400 and never calls the use case', async (_case, queryStringParameters) => {
    const useCase: Spy = vi.fn(async () => ({ status: 200, body: {} }));
    const handler = createRoute(await services())({ query: listRequestsQuery }, useCase);

    const result = await handler({ ...httpApiJwtEvent(), body: undefined, queryStringParameters }, lambdaContext);

    expect(result.statusCode).toBe(400);
    expect(useCase).not.toHaveBeenCalled();
  });

  it('maps a domain error from the use case to its status', async () => {
    const { invoke } = await decisionRoute(vi.fn(async () => Promise.reject(new NotFoundError('The request'))));

    const result = await invoke(decisionEvent({ requestId: 'req_0000000001' }));

    expect(result.statusCode).toBe(404);
    expect(parsed(result)).toEqual({ error: 'not_found', message: 'The request was not found.' });
  });

  it('maps an unexpected failure of the use case to a generic 500', async () => {
    const { invoke } = await decisionRoute(vi.fn(async () => Promise.reject(new Error('ProvisionedThroughputExceeded on table latchkey-main'))));

    const result = await invoke(decisionEvent({ requestId: 'req_0000000001' }));

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('latchkey-main');
  });
});
