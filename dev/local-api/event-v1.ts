import type { APIGatewayProxyEvent } from 'aws-lambda';
import { headerValue, jsonResponse, requestTime, type LocalRequest, type LocalResponse } from './http-io.ts';
import { LOCAL_ACCOUNT_ID } from './lambda-runtime.ts';
import type { RestRoute } from './route-table.ts';

// REST API Lambda proxy integration (payload 1.0): headers keep the client's
// spelling, the last value in `headers` and all of them in `multiValueHeaders`;
// the same split for the query string; absent collections are null; the IAM
// caller is described in `requestContext.identity`.

export const REST_STAGE = 'local';

export interface IamIdentity {
  accessKey: string;
  accountId: string;
  /** Principal id: `AROA…:session` for an assumed role, `AIDA…` for a user. */
  caller: string;
  userArn: string;
}

export function restEvent(
  request: LocalRequest,
  route: RestRoute,
  pathParameters: Record<string, string>,
  identity: IamIdentity,
  host: string,
): APIGatewayProxyEvent {
  // Maps, not object literals, so that a `__proto__` header or parameter stays a key, as API Gateway passes it.
  const all = (pairs: Iterable<[string, string]>) => {
    const values = new Map<string, string[]>();
    for (const [name, value] of pairs) values.set(name, [...(values.get(name) ?? []), value]);
    return values;
  };
  const headerValues = all(request.rawHeaders);
  const queryValues = all(new URLSearchParams(request.rawQueryString));
  const headers: Record<string, string> = Object.fromEntries([...headerValues].map(([name, values]) => [name, values.at(-1)!]));
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(headerValues);
  const query: Record<string, string> = Object.fromEntries([...queryValues].map(([name, values]) => [name, values.at(-1)!]));
  const multiQuery: Record<string, string[]> = Object.fromEntries(queryValues);
  const hasQuery = Object.keys(query).length > 0;
  const userAgent = headerValue(request.rawHeaders, 'user-agent') ?? null;
  const contentType = headerValue(request.rawHeaders, 'content-type');
  const binary = request.body.length > 0 && contentType !== undefined && !/^(text\/|application\/(json|xml|x-www-form-urlencoded))/i.test(contentType);
  return {
    resource: route.path,
    path: request.rawPath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      authorizer: null,
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: identity.accessKey,
        accountId: identity.accountId,
        apiKey: null,
        apiKeyId: null,
        caller: identity.caller,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: identity.caller,
        userAgent,
        userArn: identity.userArn,
      },
      path: `/${REST_STAGE}${request.rawPath}`,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: requestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourceId: 'local',
      resourcePath: route.path,
      stage: REST_STAGE,
    },
    body: request.body.length > 0 ? request.body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: binary,
  };
}

/** REST maps a malformed integration answer, a thrown error or a timeout to 502. */
export const badGateway = (): LocalResponse => jsonResponse(502, { message: 'Internal server error' });

export function restResponse(result: unknown): LocalResponse {
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) return badGateway();
  const r = result as { statusCode: unknown; headers?: unknown; multiValueHeaders?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return badGateway();
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return badGateway();
  const headers: [string, string][] = Object.entries((r.headers ?? {}) as Record<string, unknown>).map(([n, v]) => [n, String(v)]);
  for (const [name, values] of Object.entries((r.multiValueHeaders ?? {}) as Record<string, unknown>)) {
    for (const value of Array.isArray(values) ? values : [values]) headers.push([name, String(value)]);
  }
  const text = typeof r.body === 'string' ? r.body : '';
  return { status, headers, body: Buffer.from(text, r.isBase64Encoded === true ? 'base64' : 'utf8') };
}
