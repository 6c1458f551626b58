import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type * as z from 'zod';
import { defaultClaimNames, type ClaimNames, type Principal } from '../kernel/principal.ts';
import type { ServiceStore } from '../services/ports.ts';
import { noTenantScope, type TenantScope } from '../kernel/ports.ts';
import { logger } from '../adapters/powertools/logger.ts';
import { observeInvocation } from '../adapters/powertools/invocation.ts';
import { errorMapper } from './error-mapper.ts';
import { PayloadTooLargeError } from './errors.ts';
import { principalFromCaller, principalFromClaims, typedClaims } from './resolve-principal.ts';
import { json, text, type HttpResult } from './response.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEvent;
export const maxBodyBytes = 32 * 1024;

type Schemas<B, P, Q> = { body?: z.ZodType<B>; path?: z.ZodType<P>; query?: z.ZodType<Q> };
export type RouteInput<B, P, Q> = { body: B; path: P; query: Q; principal: Principal };
/** A JSON body, or (exports) raw text in its own content type; `headers` carries extras such as the next page's cursor. */
export type Reply = { status: number; body: unknown } | { status: number; text: string; contentType: string; headers?: Record<string, string> };

const isV2 = (event: ApiEvent): event is APIGatewayProxyEventV2WithJWTAuthorizer => (event as { version?: string }).version === '2.0';

async function resolvePrincipal(event: ApiEvent, services: Pick<ServiceStore, 'findByRole'>, claimNames: ClaimNames): Promise<Principal> {
  if (isV2(event)) {
    const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
    const typed = typedClaims(event.headers?.authorization, claims, claimNames);
    return typed ? principalFromClaims(typed, claimNames) : principalFromClaims(claims, claimNames, 'rendered');
  }
  return principalFromCaller(event.requestContext.identity?.userArn, services);
}

/**
 * The one handler chain: logger context and metrics → error mapper → header normaliser →
 * body limit → JSON body parser → principal → zod validation → use case; the error mapper
 * sees every failure. Middleware first, handler last.
 *
 * The logger context comes before the error mapper (STYLE.md lists it after) because middy
 * runs onError in reverse order: behind the mapper, its reset would drop `route` from the
 * mapper's "unhandled error" line. A failure in any middleware still reaches the mapper,
 * since every onError runs.
 */
export function createRoute(services: Pick<ServiceStore, 'findByRole'>, claimNames: ClaimNames = defaultClaimNames, asTenant: TenantScope = noTenantScope) {
  return function route<B = undefined, P = undefined, Q = undefined>(
    schemas: Schemas<B, P, Q>,
    run: (input: RouteInput<B, P, Q>) => Promise<Reply>,
  ) {
    const chain = middy<ApiEvent, HttpResult, Error, Context>()
      .use(observeInvocation())
      .use({
        before: async ({ event }) => {
          // Temporary keys: injectLambdaContext resets them when the invocation ends.
          logger.appendKeys({ route: isV2(event) ? event.routeKey : `${event.httpMethod} ${event.resource}` });
          if (event.requestContext?.requestId) logger.setCorrelationId(event.requestContext.requestId);
        },
      })
      .use(errorMapper())
      .use(httpHeaderNormalizer())
      .use({
        before: async ({ event }) => {
          const size = event.body ? Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : 0;
          if (size > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
          // A route with a body schema treats "no body" as an empty object, so zod names the missing fields.
          if (schemas.body && !event.body) {
            event.body = '{}';
            event.headers = { ...event.headers, 'content-type': 'application/json' };
          }
        },
      });
    if (schemas.body) chain.use(httpJsonBodyParser());
    const handler = chain.handler(async (event) => {
      const principal = await resolvePrincipal(event, services, claimNames);
      const input = {
        body: schemas.body ? schemas.body.parse(event.body) : undefined,
        path: schemas.path ? schemas.path.parse(event.pathParameters ?? {}) : undefined,
        query: schemas.query ? schemas.query.parse(event.queryStringParameters ?? {}) : undefined,
        principal,
      } as RouteInput<B, P, Q>;
      // From here on every store call is the caller's tenant's, and IAM holds it to that tenant's keys.
      const reply = await asTenant(principal.tenantId, () => run(input));
      return 'text' in reply ? text(reply.status, reply.text, reply.contentType, reply.headers) : json(reply.status, reply.body);
    });
    // The very schemas it validates with, for the OpenAPI document's test (tests/unit/openapi): never read at run time.
    return Object.assign(handler, { schemas });
  };
}
