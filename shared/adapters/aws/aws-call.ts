import { AwsCallError } from '../../minting/errors.ts';

// SDK errors carry AWS's message, the raw response and sometimes the request;
// past this point only the code travels (and the AWS request id, for support).
const codeShape = /^[A-Za-z][\w.:-]{0,63}$/;

function codeOf(error: unknown): string {
  const e = (error ?? {}) as { name?: unknown; Code?: unknown; code?: unknown };
  const candidates = [e.Code, e.name === 'Error' ? undefined : e.name, e.code];
  const found = candidates.find((c): c is string => typeof c === 'string' && codeShape.test(c));
  return found ?? 'UnknownError';
}

function requestIdOf(error: unknown): string | undefined {
  const id = (error as { $metadata?: { requestId?: unknown } } | undefined)?.$metadata?.requestId;
  return typeof id === 'string' && /^[\w-]{1,128}$/.test(id) ? id : undefined;
}

export async function awsCall<T>(service: AwsCallError['service'], operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AwsCallError(service, operation, codeOf(error), requestIdOf(error));
  }
}

/**
 * Each STS or SSM attempt gives up after this long (two attempts): a slow AWS then fails the call
 * (TimeoutError) with time left to log it, instead of running into the function's 15 s timeout, which
 * would end the invocation with no `credentials.failed` event (docs/failure-modes.md).
 */
export const AWS_ATTEMPT_TIMEOUT_MS = 4000;
export type AwsTimeouts = { attemptTimeoutMs?: number };
// throwOnRequestTimeout: without it, @smithy/node-http-handler only logs a warning and keeps waiting.
export const awsRequestHandler = (timeouts: AwsTimeouts = {}) => ({
  requestTimeout: timeouts.attemptTimeoutMs ?? AWS_ATTEMPT_TIMEOUT_MS,
  connectionTimeout: 2000,
  throwOnRequestTimeout: true,
});
