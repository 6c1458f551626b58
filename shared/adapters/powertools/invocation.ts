import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger } from './logger.ts';
import { emf } from './metrics.ts';

/**
 * What every function's chain starts with, HTTP or scheduled: the Lambda context into the
 * logger, and the keys appended during the invocation reset after it (resetKeys), so
 * nothing of one invocation shows in the next one's lines; metrics flushed as one EMF
 * document when the invocation ends, whether it succeeded or failed.
 */
export function observeInvocation(): MiddlewareObj[] {
  // logEvent: false overrides POWERTOOLS_LOGGER_LOG_EVENT: the event holds the caller's bearer token
  // (and bodies), which invariant 5 keeps out of every log line, whatever the deployment sets.
  return [injectLambdaContext(logger, { resetKeys: true, logEvent: false }), logMetrics(emf)];
}
