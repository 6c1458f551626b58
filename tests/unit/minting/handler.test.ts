import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';

// The handler's edge only: body and path validation happen before the use case
// (and so before any store or AWS call), so no dependency is needed here.
type Handler = (event: unknown, context: Context) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
let handler: Handler;

beforeAll(async () => {
  Object.assign(process.env, { MAIN_TABLE: 'latchkey-main', LOG_TABLE: 'latchkey-log', AWS_REGION: 'eu-central-1', LATCHKEY_SILENT: '1' });
  ({ handler } = (await import('#functions/issue-credentials/handler')) as unknown as { handler: Handler });
});

const fixture = JSON.parse(readFileSync(new URL('../../events/api-gateway/http-api-v2-jwt.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const context = { awsRequestId: 'test-request' } as Context;

function event(body: string | undefined, requestId = 'req_0000000001') {
  return {
    ...fixture,
    routeKey: 'POST /requests/{requestId}/credentials',
    rawPath: `/requests/${requestId}/credentials`,
    pathParameters: { requestId },
    body,
  };
}

describe('POST /requests/{requestId}/credentials: bad input', () => {
  it.each([
    ['an unknown top-level field', '{"ttl":3600}'],
    ['an unknown ssm field (no choosing the forwarded host)', '{"ssm":{"host":"evil.internal"}}'],
    ['a privileged local port', '{"ssm":{"localPortNumber":80}}'],
    ['a local port beyond 65535', '{"ssm":{"localPortNumber":70000}}'],
    ['a fractional local port', '{"ssm":{"localPortNumber":15432.5}}'],
    ['ssm that is not an object', '{"ssm":true}'],
    ['a body that is not an object', '[]'],
  ])('answers 400 to %s', async (_, body) => {
    const response = await handler(event(body), context);

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'validation_failed' });
  });

  it('answers 400 to a request id that is not an id', async () => {
    const response = await handler(event('{}', '..%2Fetc'), context);
    expect(response.statusCode).toBe(400);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await handler(event('{"ssm":'), context);
    expect(response.statusCode).toBe(400);
  });
});
