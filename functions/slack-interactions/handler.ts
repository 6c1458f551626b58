import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger } from '#shared/adapters/powertools/logger';
import { observeInvocation } from '#shared/adapters/powertools/invocation';
import { errorMapper } from '#shared/http/error-mapper';
import { json, type HttpResult } from '#shared/http/response';
import { maxBodyBytes } from '#shared/http/route';
import { PayloadTooLargeError } from '#shared/http/errors';
import { handleSlackInteraction } from '#shared/notifications/index';
import { interactionDeps } from '#shared/wiring/notifications';

// POST /slack/interactions: Slack's interactivity request URL. No authorizer: Slack signs the request instead, and
// the use case checks that signature over the raw body before it reads anything (shared/notifications).
const chain = middy<APIGatewayProxyEventV2, HttpResult, Error, Context>()
  .use(observeInvocation())
  .use(errorMapper())
  .use(httpHeaderNormalizer())
  .handler(async (event) => {
    const raw = event.body ?? '';
    if (Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8') > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
    const rawBody = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const result = await handleSlackInteraction(interactionDeps, {
      rawBody,
      timestamp: event.headers['x-slack-request-timestamp'],
      signature: event.headers['x-slack-signature'],
    });
    if (result.outcome === 'refused') logger.warn('slack interaction refused', { reason: result.reason });
    // Slack wants a 200 within three seconds; what happened is told in the channel (ephemeral) and the message update.
    return json(200, result);
  });

// No zod schema at the edge: the body is Slack's form, read only after its signature (openapi/operations.ts says so).
export const handler = Object.assign(chain, { schemas: {} });
