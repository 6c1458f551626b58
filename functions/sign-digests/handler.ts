import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { observeInvocation } from '#shared/adapters/powertools/invocation';
import { logger } from '#shared/adapters/powertools/logger';
import { signAllDigests, signDigestNow } from '#shared/audit/sign-digests';
import { digestDeps, route } from '#shared/wiring/digests';

// Signs every tenant's chain position with the KMS digest key: on a schedule (EventBridge, every
// 15 minutes, each tenant whose log moved since its last digest), and on demand for the caller's
// tenant (POST /audit/digests, auditors and admins). One function, so one role holds kms:Sign.

const scheduled = middy()
  .use(observeInvocation())
  .handler(async (): Promise<void> => {
    const result = await signAllDigests(digestDeps);
    logger.info('digests signed', { signed: result.signed, unchanged: result.unchanged, failed: result.failed.length });
    if (result.failed.length > 0) logger.error('digests not signed', { tenants: result.failed });
  });

const onDemand = route({}, async ({ principal }) => {
  const { digest, signed } = await signDigestNow(digestDeps, principal);
  return { status: 200, body: { signed, digest } };
});

const isApiEvent = (event: unknown) => typeof event === 'object' && event !== null && 'requestContext' in event;

export const handler = Object.assign((event: unknown, context: Context) => (isApiEvent(event) ? onDemand(event as never, context) : scheduled(event, context)), {
  schemas: onDemand.schemas,
});
