import type { MiddlewareObj } from '@middy/core';
import { ZodError } from 'zod';
import { LatchkeyError, ValidationError, type ErrorCode } from '../kernel/errors.ts';
import { logger } from '../adapters/powertools/logger.ts';
import { MalformedJsonError, UnsupportedMediaTypeError } from './errors.ts';
import { json, type HttpResult } from './response.ts';

/** Every code has a status: a code added to ErrorCodes without one here fails tsc. */
export const statusByCode = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  // Authenticated, but the policy wants a fresher or MFA-backed sign-in for this action (details say how).
  step_up_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_exists: 409,
  already_decided: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  policy_violation: 422,
  // The person used up today's break-glass grants (the policy's maxPerPersonPerDay).
  break_glass_limit: 429,
  grant_not_active: 409,
  integration_not_verified: 409,
  no_bastion: 422,
  packed_policy_too_large: 422,
  // The customer's role must be updated first (the setup handed out lacks the grant's user or bastion).
  grant_outside_setup: 409,
  // A target change would take away what an open grant's credentials name (force overrides, logged).
  target_change_breaks_open_grants: 409,
  // AWS (STS, SSM) failed: our upstream, not the caller's input.
  upstream_failed: 502,
  // The issuance could not be logged, so no credentials were handed out; retrying is safe.
  issuance_not_recorded: 503,
  // Linking customer accounts.
  role_not_registered: 409,
  setup_too_large: 422,
  // The deployment lacks a setting (named in the message): nothing the caller can fix by changing the request.
  not_configured: 503,
  // Idempotency-Key (shared/http/idempotency.ts): the key names another call; the key's first call still runs.
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  // A request that claims to come from Slack and cannot be proven to (signature, time window, replay).
  slack_signature_invalid: 401,
  // A stored item broke its model: ours to fix, and nothing about it is the caller's business.
  corrupt_record: 500,
} as const satisfies Record<ErrorCode, number>;

/**
 * middy's `expose` rule: a message is shown below 500 and replaced by a generic
 * one from 500 up. These codes are the exceptions, because their messages were
 * written for the caller and carry only an AWS error code or a setting's name.
 */
export const exposedServerErrors: ReadonlySet<ErrorCode> = new Set(['upstream_failed', 'issuance_not_recorded', 'not_configured']);

const internal = () => json(500, { error: 'internal_error', message: 'Something went wrong on our side.' });

/** Turns any error into `{ error, message, details? }`. Only domain errors and validation speak; everything else is a bare 500. */
export function toHttpError(error: unknown): HttpResult {
  const known = asLatchkeyError(error);
  // A code only at runtime (a stale bundle, a cast) has no status: treat it as a bug, not as the caller's fault.
  const status = known && Object.hasOwn(statusByCode, known.code) ? statusByCode[known.code] : undefined;
  if (known && status !== undefined && (status < 500 || exposedServerErrors.has(known.code))) {
    return json(status, { error: known.code, message: known.message, ...(known.details !== undefined ? { details: known.details } : {}) });
  }
  if (known) {
    // Our own error. A mapped 5xx's details name what broke (ids and attribute names, never a value);
    // an unmapped code's details are unknown, so only its code is logged.
    const details = status !== undefined && known.details !== undefined ? { details: known.details } : {};
    logger.error('unhandled error', { name: known.name, code: String(known.code), ...details, stack: frames(known) });
    return internal();
  }
  // Name and stack frames only: a message from the SDK or a dependency may quote input or a secret.
  const err = error instanceof Error ? error : undefined;
  logger.error('unhandled error', { name: err ? err.name : typeof error, stack: frames(err) });
  return internal();
}

/** Validation and the body parser's refusals, as the LatchkeyErrors they are; anything else is not ours. */
function asLatchkeyError(error: unknown): LatchkeyError | undefined {
  if (error instanceof LatchkeyError) return error;
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return new ValidationError('The request is not valid.', details);
  }
  // middy's JSON body parser throws 415s: one for the content type, one for bad JSON.
  const middy = error as { message?: string; cause?: { package?: string } } | undefined;
  if (middy?.cause?.package === '@middy/http-json-body-parser') {
    return middy.message === 'Unsupported Media Type' ? new UnsupportedMediaTypeError({ cause: error }) : new MalformedJsonError({ cause: error });
  }
  return undefined;
}

/** The `at …` lines only: the stack's first line repeats the message. */
function frames(err: Error | undefined): string | undefined {
  return err?.stack?.replace(err.message, '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6).join(' | ');
}

export function errorMapper(): MiddlewareObj {
  return {
    onError: async (request) => {
      request.response = toHttpError(request.error);
    },
  };
}
