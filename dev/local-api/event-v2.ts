import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { headerValue, jsonResponse, requestTime, type LocalRequest, type LocalResponse } from './http-io.ts';
import type { HttpApiRoute } from './route-table.ts';
import { LOCAL_ACCOUNT_ID } from './lambda-runtime.ts';

// HTTP API Lambda proxy integration, payload format 2.0, as documented in
// "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway":
// header names lower-cased and repeated headers joined with commas, cookies
// moved to `cookies`, repeated query parameters joined with commas, absent
// collections omitted rather than null, and a response that may be a bare value.

export interface JwtContext {
  claims: Record<string, string>;
  scopes: string[] | null;
}

export function httpApiEvent(
  request: LocalRequest,
  route: HttpApiRoute,
  pathParameters: Record<string, string>,
  jwt: JwtContext | undefined,
  host: string,
): APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2 {
  // Maps, not object literals: `obj['__proto__'] = v` sets the prototype and the key vanishes, where
  // API Gateway passes `?__proto__=x` on as a parameter like any other (Object.fromEntries keeps it).
  const headerMap = new Map<string, string>();
  const cookies: string[] = [];
  for (const [rawName, value] of request.rawHeaders) {
    const name = rawName.toLowerCase();
    if (name === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
    else headerMap.set(name, headerMap.has(name) ? `${headerMap.get(name)},${value}` : value);
  }
  const queryMap = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(request.rawQueryString)) {
    queryMap.set(name, queryMap.has(name) ? `${queryMap.get(name)},${value}` : value);
  }
  const headers: Record<string, string> = Object.fromEntries(headerMap);
  const query: Record<string, string> = Object.fromEntries(queryMap);
  const text = isTextual(headerValue(request.rawHeaders, 'content-type'));
  const epoch = request.receivedAt.getTime();
  const event = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      ...(jwt ? { authorizer: { jwt }, } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: requestTime(request.receivedAt),
      timeEpoch: epoch,
    },
    // API Gateway omits `body` for an empty request and base64-encodes binary content.
    ...(request.body.length > 0 ? { body: text ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !text,
  };
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type.startsWith('text/') || /[/+](json|xml|javascript|x-www-form-urlencoded)$/.test(type) || type === 'application/graphql';
}

/** Maps a handler's result back to HTTP as HTTP API does for payload 2.0; a malformed one is a 500. */
export function httpApiResponse(result: unknown): LocalResponse {
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    // "If your Lambda function returns valid JSON and doesn't return a statusCode": 200, the value is the body.
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
  }
  const r = result as { statusCode: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = Number(r.statusCode);
  const validBody = r.body === undefined || typeof r.body === 'string';
  if (!Number.isInteger(status) || status < 100 || status > 599 || !validBody) return internalServerError();
  const headers: [string, string][] = Object.entries((r.headers ?? {}) as Record<string, unknown>).map(([n, v]) => [n, String(v)]);
  for (const cookie of Array.isArray(r.cookies) ? r.cookies : []) headers.push(['set-cookie', String(cookie)]);
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body as string, r.isBase64Encoded === true ? 'base64' : 'utf8');
  return { status, headers, body };
}

/** What HTTP API answers when the integration fails (throws, times out, returns garbage). */
export const internalServerError = (): LocalResponse => jsonResponse(500, { message: 'Internal Server Error' });
