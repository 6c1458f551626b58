import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { logger } from '#shared/adapters/powertools/logger';
import { createRoute } from '#shared/http/route';
import { sweepHandler } from '#functions/expire-requests/sweep';
import { InMemoryServiceStore } from '../../support/fakes/index.ts';
import { captureOutput } from '../../support/captured-output.ts';
import { fakeMintingDeps } from '../../support/minting-world.ts';
import { httpApiJwtEvent, lambdaContext } from './events.ts';

// One container, one logger: the HTTP route and the scheduled sweeper share the module
// instance (as every function does in the local stack, which runs all handlers in one
// process). What the HTTP invocation put into the logger must not reach the sweeper's lines.

const HTTP_REQUEST_ID = lambdaContext.awsRequestId;
const sweeperContext = { ...lambdaContext, awsRequestId: '0a0b0c0d-0000-4000-8000-00000000beef', functionName: 'latchkey-test-expire-requests' } as Context;

async function failingHttpCall(): Promise<number> {
  // A use case that fails unexpectedly: the error mapper logs one line with the route's context.
  const handler = createRoute(new InMemoryServiceStore())({}, async () => {
    throw new Error('boom');
  });
  return (await handler(httpApiJwtEvent(), lambdaContext)).statusCode;
}

describe('logger context per invocation', () => {
  it('gives the HTTP line its route, request id and API Gateway request id', async () => {
    let status = 0;
    const { lines } = await captureOutput(async () => {
      status = await failingHttpCall();
    });

    expect(status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      message: 'unhandled error',
      service: 'latchkey',
      route: 'POST /requests',
      function_request_id: HTTP_REQUEST_ID,
      correlation_id: 'EXAMPLEabcdEFg=',
    });
  });

  it('keeps the HTTP route and its request id out of the sweeper lines that follow it', async () => {
    const { lines, text } = await captureOutput(async () => {
      await failingHttpCall();
      await sweepHandler(fakeMintingDeps())(undefined, sweeperContext);
    });

    const swept = lines.filter((line) => line.message === 'deadlines swept');
    expect(swept).toHaveLength(1);
    expect(swept[0]).toMatchObject({ level: 'INFO', function_request_id: sweeperContext.awsRequestId, expired: 0, ended: 0 });
    const sweeperText = JSON.stringify(swept);
    expect(sweeperText).not.toContain('POST /requests');
    expect(sweeperText).not.toContain(HTTP_REQUEST_ID);
    expect(sweeperText).not.toContain('EXAMPLEabcdEFg=');
    expect(swept[0]).not.toHaveProperty('route');
    expect(swept[0]).not.toHaveProperty('correlation_id');
    // The HTTP line itself did carry them: the test is not vacuous.
    expect(text).toContain(HTTP_REQUEST_ID);
  });

  it('does not carry one route into the next HTTP invocation either', async () => {
    const { lines } = await captureOutput(async () => {
      await failingHttpCall();
      const other = createRoute(new InMemoryServiceStore())({}, async () => {
        throw new TypeError('again');
      });
      const event = { ...httpApiJwtEvent(), routeKey: 'GET /whoami', requestContext: { ...httpApiJwtEvent().requestContext, requestId: undefined as unknown as string } };
      await other(event, { ...lambdaContext, awsRequestId: 'second-invocation' } as Context);
    });

    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ route: 'GET /whoami', function_request_id: 'second-invocation', name: 'TypeError' });
    expect(lines[1]).not.toHaveProperty('correlation_id');
  });

  it('never logs the event, with its bearer token, even when POWERTOOLS_LOGGER_LOG_EVENT asks for it', async () => {
    vi.spyOn(logger, 'getLogEvent').mockReturnValue(true); // what POWERTOOLS_LOGGER_LOG_EVENT=true sets at cold start
    const event = httpApiJwtEvent();
    event.headers = { ...event.headers, authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.BEARER-SECRET.sig' };
    try {
      const { text } = await captureOutput(async () => {
        await createRoute(new InMemoryServiceStore())({}, async () => {
          throw new Error('boom');
        })(event, lambdaContext);
      });

      expect(text).toContain('unhandled error');
      expect(text).not.toContain('BEARER-SECRET');
      expect(text).not.toContain('Lambda invocation event');
    } finally {
      vi.restoreAllMocks();
    }
  });
});
