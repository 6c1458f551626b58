import { SlackSignatureError } from '#shared/notifications/index';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '#shared/http/idempotency';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AlreadyDecidedError,
  AlreadyExistsError,
  ConcurrentModificationError,
  CorruptRecordError,
  type ErrorCode,
  ForbiddenError,
  InvalidTransitionError,
  type LatchkeyError,
  NotFoundError,
  PolicyViolationError,
  UnauthenticatedError,
  ValidationError,
} from '#shared/kernel/errors';
import {
  GrantNotActiveError,
  GrantOutsideSetupError,
  IntegrationNotVerifiedError,
  IssuanceNotRecordedError,
  NoBastionError,
  PackedPolicyTooLargeError,
  UpstreamError,
} from '#shared/minting/errors';
import { RoleNotRegisteredError, SetupNotConfiguredError, SetupTooLargeError } from '#shared/integrations/errors';
import { StepUpRequiredError, TargetChangeBreaksOpenGrantsError } from '#shared/targets/errors';
import { BreakGlassLimitError } from '#shared/requests/errors';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '#shared/http/errors';
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

const generic500 = { error: 'internal_error', message: 'Something went wrong on our side.' };

/**
 * Every code, thrown by the error class that really throws it, with the status it must get and
 * whether its message reaches the caller. `satisfies Record<ErrorCode, …>`: a new code without a
 * case here fails tsc, as it does without a status in the mapper.
 */
const everyCode = {
  validation_failed: [new ValidationError('The target has no such database user.', { databaseUsers: ['app_ro'] }), 400, 'shown'],
  malformed_json: [new MalformedJsonError(), 400, 'shown'],
  unauthenticated: [new UnauthenticatedError(), 401, 'shown'],
  forbidden: [new ForbiddenError('You cannot approve your own request.'), 403, 'shown'],
  not_found: [new NotFoundError('The request'), 404, 'shown'],
  conflict: [new ConcurrentModificationError('The request', { currentVersion: 3 }), 409, 'shown'],
  already_exists: [new AlreadyExistsError('A target with this id', { existingId: 'tgt_0000000901' }), 409, 'shown'],
  already_decided: [new AlreadyDecidedError(), 409, 'shown'],
  invalid_transition: [new InvalidTransitionError('denied', 'approved'), 409, 'shown'],
  payload_too_large: [new PayloadTooLargeError(32_768), 413, 'shown'],
  unsupported_media_type: [new UnsupportedMediaTypeError(), 415, 'shown'],
  policy_violation: [new PolicyViolationError('The target allows at most 60 minutes.', { maxDurationMinutes: 60 }), 422, 'shown'],
  break_glass_limit: [new BreakGlassLimitError(3, '2030-01-01'), 429, 'shown'],
  step_up_required: [new StepUpRequiredError('approve', ['recent_sign_in'], { maxAgeMinutes: 5, mfa: false }), 401, 'shown'],
  grant_not_active: [new GrantNotActiveError('revoked'), 409, 'shown'],
  integration_not_verified: [new IntegrationNotVerifiedError('pending'), 409, 'shown'],
  no_bastion: [new NoBastionError(), 422, 'shown'],
  grant_outside_setup: [new GrantOutsideSetupError([{ action: 'rds-db:connect', resource: 'arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-X/app_rw' }], true), 409, 'shown'],
  target_change_breaks_open_grants: [new TargetChangeBreaksOpenGrantsError([{ requestId: 'req_0000000001', databaseUser: 'app_ro', windowEnd: '2030-01-01T01:00:00.000Z', fields: ['endpoint'] }]), 409, 'shown'],
  packed_policy_too_large: [new PackedPolicyTooLargeError(97, 90), 422, 'shown'],
  upstream_failed: [new UpstreamError('sts', 'AssumeRole', 'AccessDenied'), 502, 'shown'],
  issuance_not_recorded: [new IssuanceNotRecordedError(), 503, 'shown'],
  role_not_registered: [new RoleNotRegisteredError(), 409, 'shown'],
  setup_too_large: [new SetupTooLargeError('permissionPolicy', 10_300, 10_240), 422, 'shown'],
  not_configured: [new SetupNotConfiguredError('BROKER_ROLE_ARN'), 503, 'shown'],
  slack_signature_invalid: [new SlackSignatureError('stale_timestamp'), 401, 'shown'],
  corrupt_record: [new CorruptRecordError('integration', { tenantId: 'acme', integrationId: 'int_1' }, ['status']), 500, 'generic'],
  idempotency_key_reused: [new IdempotencyKeyReusedError(), 422, 'shown'],
  idempotency_in_progress: [new IdempotencyInProgressError(), 409, 'shown'],
} satisfies Record<ErrorCode, [LatchkeyError, number, 'shown' | 'generic']>;

describe('toHttpError', () => {
  it.each(Object.entries(everyCode))('maps %s to its status and body', (code, [error, status, exposure]) => {
    let result: ReturnType<typeof toHttpError> | undefined;
    logsDuring(() => {
      result = toHttpError(error);
    });

    expect(error.code).toBe(code);
    expect(result?.statusCode).toBe(status);
    expect(result?.headers['content-type']).toMatch(/^application\/json/);
    expect(body(result!)).toEqual(
      exposure === 'shown' ? { error: code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } : generic500,
    );
  });

  it('answers a corrupt record with a generic 500 and logs which item and attributes, not the message', () => {
    let result: ReturnType<typeof toHttpError> | undefined;
    const error = new CorruptRecordError('integration', { tenantId: 'acme', integrationId: 'int_1' }, ['status']);

    const logged = logsDuring(() => {
      result = toHttpError(error);
    });

    expect(result?.body).not.toContain('status');
    expect(JSON.parse(logged)).toMatchObject({
      level: 'ERROR', message: 'unhandled error', name: 'CorruptRecordError', code: 'corrupt_record',
      details: { item: 'integration', key: { tenantId: 'acme', integrationId: 'int_1' }, attributes: ['status'] },
    });
  });

  it('answers a LatchkeyError whose code has no status at runtime with a generic 500 that does not leak its message', () => {
    let result: ReturnType<typeof toHttpError> | undefined;
    const error = Object.assign(new ValidationError('token=AQoDYXdzEJr-SECRET', { secret: 'AQoDYXdzEJr-SECRET' }), { code: 'made_up' as ErrorCode });

    const logged = logsDuring(() => {
      result = toHttpError(error);
    });

    expect(result?.statusCode).toBe(500);
    expect(body(result!)).toEqual(generic500);
    expect(result?.body).not.toContain('SECRET');
    expect(logged).not.toContain('SECRET');
    expect(JSON.parse(logged)).toMatchObject({ level: 'ERROR', code: 'made_up' });
  });

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
