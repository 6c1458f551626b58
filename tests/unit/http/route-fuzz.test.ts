import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { createRoute, type ApiEvent, type Reply, type RouteInput } from '#shared/http/route';
import { tenantIdSchema } from '#shared/http/resolve-principal';
import { createRequestBody, decisionBody, extendBody, listRequestsQuery, requestPath, reviewBody } from '#shared/requests/schemas';
import { InMemoryServiceStore, TENANT } from '../../support/fakes/index.ts';
import { httpApiJwtEvent, lambdaContext, restIamEvent } from './events.ts';

// Invariant 6: bad input of any shape gets a 4xx and changes nothing; no input produces a 5xx.
// The use case is a spy: it must never see input its schemas would refuse.

const validId = fc.stringMatching(/^req_[0-9A-Za-z]{10,40}$/);
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary', maxLength: 64 }));
const anyDict = fc.dictionary(anyString, anyString, { maxKeys: 6, noNullPrototype: true });

// Each part is often valid, so that whole requests are valid often enough to reach the use case.
const often = <T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: any });

const bodyArb = fc.oneof(
  fc.constant(undefined),
  anyString,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  // Near misses: the right field names with values of any shape.
  fc
    .record(
      {
        targetId: fc.oneof(fc.jsonValue(), fc.constant('tgt_0000000901')),
        databaseUser: fc.oneof(fc.jsonValue(), fc.constant('app_ro')),
        durationMinutes: fc.oneof(fc.jsonValue(), fc.integer(), fc.double()),
        reason: fc.oneof(fc.jsonValue(), anyString),
        note: fc.oneof(fc.jsonValue(), anyString),
        minutes: fc.oneof(fc.jsonValue(), fc.integer()),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);

const contentTypeArb = fc.oneof(fc.constant('application/json'), fc.constant('application/json; charset=utf-8'), fc.constant(undefined), anyString);

const pathArb = fc.oneof(fc.constant(undefined), fc.constant(null), anyDict, fc.record({ requestId: fc.oneof(validId, anyString) }));

const queryArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  anyDict,
  fc.record(
    { limit: fc.oneof(anyString, fc.integer().map(String)), cursor: anyString, view: fc.oneof(anyString, fc.constantFrom('mine', 'approvable', 'tenant', 'unreviewed')), status: fc.oneof(anyString, fc.constant('pending')) },
    { requiredKeys: [] },
  ),
);

const listClaim = fc.oneof(fc.jsonValue(), anyString, fc.array(anyString).map((a) => `[${a.join(' ')}]`), fc.constant('[requester approver admin auditor]'));
const claimsArb = fc.oneof(
  fc.dictionary(anyString, fc.jsonValue(), { maxKeys: 6, noNullPrototype: true }),
  fc.record(
    { sub: fc.oneof(anyString, fc.jsonValue(), fc.constant('alice')), tenant: fc.oneof(anyString, fc.jsonValue(), fc.constant('acme')), roles: listClaim, groups: listClaim, name: fc.oneof(anyString, fc.jsonValue()), auth_time: fc.oneof(anyString, fc.jsonValue(), fc.integer().map(String)), amr: listClaim },
    { requiredKeys: [] },
  ),
);

const callerArb = fc.oneof(fc.constant('arn:aws:sts::444455556666:assumed-role/etl-reader/run-1'), fc.constant(null), anyString, anyString.map((s) => `arn:aws:sts::444455556666:assumed-role/${s}`));

const requestArb = (validBody: string) =>
  fc.record({
    v2: fc.boolean(),
    body: often(fc.constant(validBody), bodyArb),
    contentType: often(fc.constant('application/json'), contentTypeArb),
    base64: often(fc.constant(false), fc.boolean()),
    path: often(validId.map((requestId) => ({ requestId })), pathArb),
    query: often<Record<string, string | undefined> | null | undefined>(fc.constantFrom({}, { view: 'approvable', limit: '10' }, { view: 'tenant', status: 'pending' }), queryArb),
    claims: often(fc.constant({ sub: 'alice', tenant: 'acme', roles: '[requester approver]', groups: '[dba]' }), claimsArb),
    caller: often(fc.constant('arn:aws:sts::444455556666:assumed-role/etl-reader/run-1'), callerArb),
  });

type GeneratedRequest = ReturnType<typeof requestArb> extends fc.Arbitrary<infer T> ? T : never;

/** An event as Lambda would deliver it: built from a fixture, then through JSON (as the wire does). */
function eventFrom(r: GeneratedRequest): ApiEvent {
  const base = (r.v2 ? httpApiJwtEvent() : restIamEvent()) as unknown as Record<string, unknown>;
  const headers: Record<string, unknown> = { ...(base.headers as object) };
  delete headers['content-type'];
  delete headers['Content-Type'];
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  const requestContext = structuredClone(base.requestContext) as Record<string, any>;
  if (r.v2) requestContext.authorizer = { jwt: { claims: r.claims, scopes: null } };
  else requestContext.identity.userArn = r.caller;
  const event = { ...base, headers, requestContext, body: r.body, isBase64Encoded: r.base64, pathParameters: r.path, queryStringParameters: r.query };
  return JSON.parse(JSON.stringify(event)) as ApiEvent;
}

type Schemas = { body?: z.ZodType; path?: z.ZodType; query?: z.ZodType };
const routes: [string, Schemas, string][] = [
  ['POST /requests', { body: createRequestBody }, '{"targetId":"tgt_0000000901","databaseUser":"app_ro","durationMinutes":60,"reason":"debug"}'],
  ['POST /requests/{requestId}/approve', { path: requestPath, body: decisionBody }, '{"note":"fine"}'],
  ['POST /requests/{requestId}/extend', { path: requestPath, body: extendBody }, '{"minutes":30,"reason":"more"}'],
  ['POST /requests/{requestId}/review', { path: requestPath, body: reviewBody }, '{"outcome":"escalated","note":"who?"}'],
  ['GET /requests', { query: listRequestsQuery }, ''],
  ['GET /whoami', {}, ''],
];

let services: InMemoryServiceStore;
beforeAll(async () => {
  vi.stubEnv('LATCHKEY_SILENT', '1');
  services = new InMemoryServiceStore();
  await services.register(
    { roleArn: 'arn:aws:iam::444455556666:role/etl-reader', name: 'ETL', access: [{ targetId: 'tgt_0000000901', databaseUsers: ['app_ro'] }], autoApprove: false, tenantId: TENANT, createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'erin' },
    { tenantId: TENANT, at: '2030-01-01T00:00:00.000Z', action: 'service.registered', actorId: 'erin', actorKind: 'user', outcome: 'success' },
  );
});
afterAll(() => vi.unstubAllEnvs());

describe.each(routes)('%s under arbitrary input', (_name, schemas, validBody) => {
  it('never answers 5xx, always answers with a JSON error body on 4xx, and calls the use case only with valid input', async () => {
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(requestArb(validBody), async (r) => {
        const useCase = vi.fn(async (_input: RouteInput<unknown, unknown, unknown>): Promise<Reply> => ({ status: 200, body: { ok: true } }));
        const handler = createRoute(services)(schemas, useCase);

        const result = await handler(eventFrom(r), lambdaContext);
        if (useCase.mock.calls.length > 0) reached++;

        expect(result.statusCode).toBeGreaterThanOrEqual(200);
        expect(result.statusCode).toBeLessThan(500);
        if (result.statusCode >= 400) {
          expect(JSON.parse(result.body)).toMatchObject({ error: expect.any(String), message: expect.any(String) });
          expect(useCase).not.toHaveBeenCalled();
        }
        for (const [input] of useCase.mock.calls) {
          if (schemas.body) expect(schemas.body.safeParse(input.body).success).toBe(true);
          if (schemas.path) expect(schemas.path.safeParse(input.path).success).toBe(true);
          if (schemas.query) expect(schemas.query.safeParse(input.query).success).toBe(true);
          expect(tenantIdSchema.safeParse(input.principal.tenantId).success).toBe(true);
          expect(input.principal.id.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 250 },
    );
    // Not vacuous: enough of the generated requests were valid to reach the use case.
    expect(reached).toBeGreaterThan(25);
  });
});
