import httpJsonBodyParser from '@middy/http-json-body-parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AlreadyDecidedError,
  AlreadyExistsError,
  ConcurrentModificationError,
  ForbiddenError,
  InvalidTransitionError,
  type LatchkeyError,
  NotFoundError,
  PolicyViolationError,
  UnauthenticatedError,
  ValidationError,
} from '#shared/kernel/errors';
import { toHttpError } from '#shared/http/error-mapper';

const body = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;

/** Everything the process wrote to stdout and stderr (the logger's only sinks: Powertools prints errors on stderr) while `run` ran. */
function logsDuring(run: () => void): string {
  const writes: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return writes.join('');
}

/** The error @middy/http-json-body-parser really throws for this event. */
async function parserError(headers: Record<string, string>, payload: string): Promise<unknown> {
  const event = { headers, body: payload };
  try {
    await httpJsonBodyParser().before!({ event, context: {}, response: undefined, error: undefined, internal: {} } as never);
  } catch (error) {
    return error;
  }
  throw new Error('the parser accepted the body');
}

beforeEach(() => vi.stubEnv('LATCHKEY_SILENT', ''));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('toHttpError', () => {
  it.each<[LatchkeyError, number, string]>([
    [new ValidationError('The target has no such database user.', { databaseUsers: ['app_ro'] }), 400, 'validation_failed'],
    [new UnauthenticatedError(), 401, 'unauthenticated'],
    [new ForbiddenError('You cannot approve your own request.'), 403, 'forbidden'],
    [new NotFoundError('The request'), 404, 'not_found'],
    [new ConcurrentModificationError('The request'), 409, 'conflict'],
    [new AlreadyExistsError('A target with this id'), 409, 'already_exists'],
    [new AlreadyDecidedError(), 409, 'already_decided'],
    [new InvalidTransitionError('denied', 'approved'), 409, 'invalid_transition'],
    [new PolicyViolationError('The target allows at most 60 minutes.', { maxDurationMinutes: 60 }), 422, 'policy_violation'],
  ])('maps %s to %i with { error: %s, message, details? }', (error, status, code) => {
    const result = toHttpError(error);

    expect(result.statusCode).toBe(status);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(body(result)).toEqual({ error: code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) });
  });

  it('keeps details when the error has them and leaves the key out when not', () => {
    expect(body(toHttpError(new InvalidTransitionError('denied', 'approved')))).toHaveProperty('details', { status: 'denied', action: 'approved' });
    expect(body(toHttpError(new NotFoundError('The request')))).not.toHaveProperty('details');
  });

  it('maps a ZodError to 400 with one detail per issue, each with a dotted path', () => {
    const parsed = z.object({ durationMinutes: z.number(), nested: z.object({ name: z.string() }) }).strict().safeParse({ durationMinutes: 'x', nested: {}, extra: 1 });

    const result = toHttpError(parsed.error);

    expect(result.statusCode).toBe(400);
    expect(body(result)).toMatchObject({ error: 'validation_failed', message: 'The request is not valid.' });
    const details = body(result).details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(['', 'durationMinutes', 'nested.name']);
    expect(details.every((d) => typeof d.message === 'string' && d.message.length > 0)).toBe(true);
  });

  it('maps the body parser’s unsupported content type to 415', async () => {
    const result = toHttpError(await parserError({ 'content-type': 'text/plain' }, '{}'));

    expect(result.statusCode).toBe(415);
    expect(body(result)).toEqual({ error: 'unsupported_media_type', message: 'Send the body as application/json.' });
  });

  it('maps the body parser’s malformed JSON to 400 without echoing the body', async () => {
    const result = toHttpError(await parserError({ 'content-type': 'application/json' }, '{"reason": "hunter2-secret",'));

    expect(result.statusCode).toBe(400);
    expect(body(result)).toEqual({ error: 'malformed_json', message: 'The body is not valid JSON.' });
    expect(result.body).not.toContain('hunter2');
  });

  it.each<[string, unknown]>([
    ['an Error', new Error('connect ECONNREFUSED 10.0.0.7:8000 token=AQoDYXdzEJr-SECRET')],
    ['an Error whose message spans lines that look like frames', new Error('failed\n    at AQoDYXdzEJr-SECRET (file.js:1:1)')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'AQoDYXdzEJr-SECRET')")],
    ['a thrown string', 'AQoDYXdzEJr-SECRET'],
    ['a thrown object', { message: 'AQoDYXdzEJr-SECRET', statusCode: 400 }],
    ['undefined', undefined],
    ['null', null],
  ])('maps %s to a generic 500 that reveals nothing, in the body or the log line', (_what, error) => {
    let result: ReturnType<typeof toHttpError> | undefined;

    const logged = logsDuring(() => {
      result = toHttpError(error);
    });

    expect(result?.statusCode).toBe(500);
    expect(body(result!)).toEqual({ error: 'internal_error', message: 'Something went wrong on our side.' });
    expect(result?.body).not.toContain('SECRET');
    expect(logged).not.toContain('SECRET');
  });

  it('still logs that something failed, with the error name', () => {
    const logged = logsDuring(() => {
      toHttpError(new RangeError('boom'));
    });

    expect(JSON.parse(logged)).toMatchObject({ level: 'ERROR', message: 'unhandled error', name: 'RangeError', service: 'latchkey' });
  });
});
