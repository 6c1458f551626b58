import type { MiddlewareObj } from '@middy/core';
import { ZodError } from 'zod';
import { LatchkeyError } from '../kernel/errors.ts';
import { logger } from './logger.ts';
import { json, type HttpResult } from './response.ts';

const statusByCode: Record<string, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_exists: 409,
  already_decided: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  policy_violation: 422,
  grant_not_active: 409,
  integration_not_verified: 409,
  no_bastion: 422,
  packed_policy_too_large: 422,
  // The customer's role must be updated first (the setup handed out lacks the grant's user or bastion).
  grant_outside_setup: 409,
  // AWS (STS, SSM) failed: our upstream, not the caller's input.
  upstream_failed: 502,
  // The issuance could not be logged, so no credentials were handed out; retrying is safe.
  issuance_not_recorded: 503,
  // Linking customer accounts.
  role_not_registered: 409,
  setup_too_large: 422,
  // The deployment lacks a setting (named in the message): nothing the caller can fix by changing the request.
  not_configured: 503,
};

/** Turns any error into `{ error, message, details? }`. Only domain errors and validation speak; everything else is a bare 500. */
export function toHttpError(error: unknown): HttpResult {
  if (error instanceof LatchkeyError) {
    const status = statusByCode[error.code] ?? 400;
    return json(status, { error: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) });
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return json(400, { error: 'validation_failed', message: 'The request is not valid.', details });
  }
  // middy's JSON body parser throws 415s: one for the content type, one for bad JSON.
  const middy = error as { statusCode?: number; message?: string; cause?: { package?: string } };
  if (middy?.cause?.package === '@middy/http-json-body-parser') {
    return middy.message === 'Unsupported Media Type'
      ? json(415, { error: 'unsupported_media_type', message: 'Send the body as application/json.' })
      : json(400, { error: 'malformed_json', message: 'The body is not valid JSON.' });
  }
  // Name and stack frames only: a message from the SDK or a dependency may quote input or a secret,
  // and the stack's first line repeats the message, so only the `at …` lines are kept.
  const err = error instanceof Error ? error : undefined;
  const frames = err?.stack?.replace(err.message, '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6).join(' | ');
  logger.error('unhandled error', { name: err ? err.name : typeof error, stack: frames });
  return json(500, { error: 'internal_error', message: 'Something went wrong on our side.' });
}

export function errorMapper(): MiddlewareObj {
  return {
    onError: async (request) => {
      request.response = toHttpError(request.error);
    },
  };
}
