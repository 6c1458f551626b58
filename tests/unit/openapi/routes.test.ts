import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument, RouteMismatchError, routesOf } from '#openapi/document';
import { operations } from '#openapi/operations';
import { readServerlessYaml, type ServerlessDoc } from '#dev/serverless-config';

// The document covers exactly serverless.yml's routes, each with the schemas its handler validates with.

type Fn = { events?: Array<Record<string, unknown>> };
const withRoute = (doc: ServerlessDoc, fn: string, event: Record<string, unknown>): ServerlessDoc => {
  const functions = structuredClone(doc.functions) as Record<string, Fn>;
  functions[fn] = { ...functions[fn], events: [...(functions[fn]?.events ?? []), event] };
  return { ...doc, functions };
};

describe('routes and operations', () => {
  const serverless = readServerlessYaml();

  it('has one operation per HTTP API route of serverless.yml, served by the same function', () => {
    const routes = routesOf(serverless, operations);
    expect(routes.map((r) => r.key).sort()).toEqual(Object.keys(operations).sort());
  });

  it('fails on a route without an operation, naming it and the command to run', () => {
    const doc = withRoute(serverless, 'get-target', { httpApi: { method: 'DELETE', path: '/targets/{targetId}', authorizer: { name: 'people' } } });
    expect(() => buildDocument(doc)).toThrow(RouteMismatchError);
    expect(() => buildDocument(doc)).toThrow(/serverless\.yml route DELETE \/targets\/\{targetId\} \(function get-target\) has no operation in openapi\/operations\.ts[\s\S]*then run `npm run openapi` and commit docs\/openapi\.json/);
  });

  it('fails on an operation serverless.yml does not route', () => {
    const extra = { ...operations, 'DELETE /targets/{targetId}': { ...operations['GET /targets/{targetId}']! } };
    expect(() => buildDocument(serverless, extra)).toThrow(/openapi\/operations\.ts has DELETE \/targets\/\{targetId\}, which serverless\.yml does not route/);
  });

  it('fails on an operation that names another function than serverless.yml', () => {
    const moved = { ...operations, 'GET /me': { ...operations['GET /me']!, fn: 'get-target' } };
    expect(() => buildDocument(serverless, moved)).toThrow(/GET \/me: serverless\.yml serves it with whoami, openapi\/operations\.ts says get-target/);
  });

  it('fails on a SigV4 route with no HTTP API twin', () => {
    const doc = withRoute(serverless, 'get-target', { http: { method: 'get', path: 'targets/{targetId}/x', authorizer: 'aws_iam' } });
    expect(() => buildDocument(doc)).toThrow(/REST route GET \/targets\/\{targetId\}\/x has no HTTP API twin/);
  });

  it('gives each route the security serverless.yml gives it: JWT, JWT or SigV4, or none', () => {
    const document = buildDocument() as unknown as { paths: Record<string, Record<string, { security: unknown }>> };
    expect(document.paths['/targets']!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/requests/{requestId}/credentials']!.post!.security).toEqual([{ bearerAuth: [] }, { sigv4: [] }]);
    expect(document.paths['/openapi.json']!.get!.security).toEqual([]);
    const rest = (serverless.functions as Record<string, Fn>)['create-request']!.events!.filter((e) => 'http' in e);
    expect(rest).toHaveLength(1);
  });
});

describe('each operation names the schemas its handler validates with', () => {
  type Handler = { schemas?: { body?: unknown; path?: unknown; query?: unknown; idempotent?: true } };
  const handlers = new Map<string, Handler>();
  beforeAll(async () => {
    Object.assign(process.env, { MAIN_TABLE: 'latchkey-main', LOG_TABLE: 'latchkey-log', AWS_REGION: 'eu-central-1', LATCHKEY_SILENT: '1' });
    for (const op of Object.values(operations)) handlers.set(op.fn, (await import(`../../../functions/${op.fn}/handler.ts`)) .handler as Handler);
  });

  it.each(Object.entries(operations).filter(([, op]) => op.fn !== 'openapi'))('%s', (_key, op) => {
    const schemas = handlers.get(op.fn)!.schemas;
    expect(schemas, `${op.fn} is not built with route()`).toBeDefined();
    expect(schemas!.body === op.body, 'body').toBe(true);
    expect(schemas!.path === op.path, 'path').toBe(true);
    expect(schemas!.query === op.query, 'query').toBe(true);
    expect(schemas!.idempotent === op.idempotent, 'idempotent (the Idempotency-Key header)').toBe(true);
  });
});
