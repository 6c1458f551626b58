import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HttpResult } from '#shared/http/response';
import { parseCsv } from '../support/csv.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { logEntry, writeEntries } from '../support/grant-log.ts';
import { startIsolatedDynamo, type IsolatedDynamo } from '../support/tenant-front.ts';

// The auditor handlers end to end through the real route chain (zod, principal,
// error mapper, raw-text replies), against DynamoDB Local behind the DynamoDB front:
// the handlers read as the caller's tenant session, as deployed (docs/tenant-isolation.md).

// shared/wiring reads its configuration at import (the first `load`): point it at the test stack first.
Object.assign(process.env, {
  MAIN_TABLE: inject('mainTable'),
  LOG_TABLE: inject('logTable'),
  AWS_REGION: inject('region'),
});
type Handler = (event: unknown, context: Context) => Promise<HttpResult>;
const load = async (name: string) => ((await import(`../../functions/${name}/handler.ts`)) as { handler: Handler }).handler;

const fixture = JSON.parse(readFileSync(new URL('../events/api-gateway/http-api-v2-jwt.json', import.meta.url), 'utf8')) as APIGatewayProxyEventV2WithJWTAuthorizer;
const context = { awsRequestId: 'test' } as Context;

function get(tenant: string, roles: string, query: Record<string, string>, pathParameters?: Record<string, string>) {
  const event = structuredClone(fixture) as unknown as Record<string, unknown>;
  delete event.body;
  event.routeKey = 'GET /audit/events';
  event.queryStringParameters = query;
  if (pathParameters) event.pathParameters = pathParameters;
  (event.headers as Record<string, string>)['content-length'] = '0';
  (event.requestContext as { authorizer: unknown }).authorizer = { jwt: { claims: { sub: 'audrey', tenant, roles }, scopes: null } };
  return event;
}

const stores = dynamoStores();
let tenant: string;
let isolated: IsolatedDynamo;

beforeAll(async () => {
  isolated = await startIsolatedDynamo();
  Object.assign(process.env, isolated.functionEnv);
  tenant = freshTenant('handlers');
  await writeEntries(stores.log, [
    logEntry(tenant, { at: '2026-11-24T09:00:00.000Z', details: { reason: 'needs, "quotes"\nand lines' } }),
    logEntry(tenant, { at: '2026-11-24T09:01:00.000Z' }),
    logEntry(tenant, { at: '2026-11-24T09:02:00.000Z', requesterId: 'bob' }),
  ]);
});

afterAll(() => isolated?.close());

describe('auditor handlers', () => {
  it('lists events as JSON with a cursor', async () => {
    const res = await (await load('list-events'))(get(tenant, '[auditor]', { requester: 'alice', limit: '1' }), context);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { items: { seq: number }[]; nextCursor?: string };
    expect(body.items.map((e) => e.seq)).toEqual([2]);
    expect(body.nextCursor).toBeDefined();
  });

  it('exports CSV as text/csv with the next cursor in a header', async () => {
    const exportEvents = await load('export-events');
    const first = await exportEvents(get(tenant, '[admin]', { format: 'csv', order: 'oldest', limit: '2' }), context);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/csv/);
    const cursor = first.headers['x-next-cursor']!;
    const second = await exportEvents(get(tenant, '[admin]', { format: 'csv', order: 'oldest', limit: '2', cursor }), context);
    expect(second.headers['x-next-cursor']).toBeUndefined();
    const rows = parseCsv(first.body + second.body);
    expect(rows.map((r) => r[0])).toEqual(['seq', '1', '2', '3']);
    expect(rows[1]![10]).toBe('needs, "quotes"\nand lines');
  });

  it('exports JSON Lines as application/x-ndjson', async () => {
    const res = await (await load('export-events'))(get(tenant, '[auditor]', { format: 'ndjson' }), context);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.body.trimEnd().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([3, 2, 1]);
  });

  it.each([
    ['a tampered cursor', { cursor: 'eyJ2IjoxfQ' }],
    ['an unknown filter', { colour: 'red' }],
    ['an unknown action', { action: 'request.teleported' }],
    ['a reversed range', { from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' }],
    ['a date without time', { from: '2026-11-24' }],
  ])('answers %s with 400', async (_name, query) => {
    const res = await (await load('list-events'))(get(tenant, '[auditor]', query as Record<string, string>), context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'validation_failed' });
  });

  it('answers a requester with 403 on every auditor route', async () => {
    for (const [name, path] of [['list-events'], ['export-events'], ['verify-log'], ['access-summary'], ['request-timeline', { requestId: 'req_01JTESTREQUEST0001' }]] as const) {
      const res = await (await load(name))(get(tenant, '[requester]', {}, path), context);
      expect([name, res.statusCode]).toEqual([name, 403]);
    }
  });

  it('verifies, times a request and summarizes through their handlers', async () => {
    const verify = await (await load('verify-log'))(get(tenant, '[auditor]', {}), context);
    expect(JSON.parse(verify.body)).toMatchObject({ ok: true, checked: 3, complete: true });
    const timeline = await (await load('request-timeline'))(get(tenant, '[auditor]', {}, { requestId: 'req_01JTESTREQUEST0001' }), context);
    expect((JSON.parse(timeline.body) as { items: unknown[] }).items).toHaveLength(3);
    const summary = await (await load('access-summary'))(get(tenant, '[auditor]', { from: '2026-11-01T00:00:00Z' }), context);
    expect(summary.statusCode).toBe(200);
  });
});
