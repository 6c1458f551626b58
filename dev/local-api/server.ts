import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiGatewayClaims, apiGatewayScopes } from './claims.ts';
import { badGateway, restEvent, restResponse } from './event-v1.ts';
import { httpApiEvent, httpApiResponse, internalServerError, type JwtContext } from './event-v2.ts';
import { headerValue, jsonResponse, ONE_MIB, pairsOf, readBody, send, type LocalRequest, type LocalResponse } from './http-io.ts';
import { createJwtAuthorizer, type JwtAuthorizer } from './jwt-authorizer.ts';
import { createLambdaRuntime, type LambdaRuntime } from './lambda-runtime.ts';
import { compileRoutes, matchRoute } from './route-match.ts';
import type { RouteTable } from './route-table.ts';
import { startSchedules } from './schedules.ts';
import { authorizeIam, type CredentialLookup } from './sigv4-authorizer.ts';

// One 127.0.0.1 listener standing in for both API Gateway APIs of
// serverless.yml. The Authorization scheme picks the API: SigV4
// (`AWS4-HMAC-SHA256`, header or presigned query) goes to the REST API's
// IAM-authorized routes, anything else (a Bearer or bare JWT, or nothing) to
// the HTTP API. In each, the route is matched before authorization, as in AWS:
// an unknown HTTP API route is 404 {"message":"Not Found"}, an unknown REST
// resource 403 {"message":"Missing Authentication Token"}. REST routes are
// served at the root, as through a custom domain with an empty base path.
// Requests are handled concurrently; nothing here serializes them.

export interface LocalApiOptions {
  table: RouteTable;
  stage: string;
  /** 0 or omitted: an ephemeral port. */
  port?: number;
  /** Who owns an access key, for SigV4; without it every signed call is refused. */
  credentialLookup?: CredentialLookup;
  /** Run `schedule` functions this often; 0 turns them off. */
  scheduleSeconds?: number;
  bodyLimitBytes?: number;
  accessLog?: boolean;
}

export interface LocalApi {
  url: string;
  port: number;
  runtime: LambdaRuntime;
  close(): Promise<void>;
}

export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const { table } = options;
  const runtime = createLambdaRuntime({ service: table.service, stage: options.stage, region: table.region });
  const httpRoutes = compileRoutes(table.httpApi);
  const restRoutes = compileRoutes(table.rest);
  const authorizers = new Map<string, JwtAuthorizer>(Object.entries(table.authorizers).map(([name, config]) => [name, createJwtAuthorizer(config)]));
  const lookup: CredentialLookup = options.credentialLookup ?? (() => undefined);
  const limit = options.bodyLimitBytes ?? ONE_MIB;

  async function serveHttpApi(request: LocalRequest, host: string): Promise<LocalResponse> {
    const match = matchRoute(httpRoutes, request.method, request.rawPath);
    if (!match) return jsonResponse(404, { message: 'Not Found' });
    let jwt: JwtContext | undefined;
    if (match.route.authorizer) {
      const authorizer = authorizers.get(match.route.authorizer);
      const decision = authorizer ? await authorizer.authorize(headerValue(request.rawHeaders, 'authorization')) : { ok: false as const };
      if (!decision.ok) {
        const challenge = decision.description ? `Bearer scope="" error="invalid_token" error_description="${decision.description}"` : 'Bearer';
        return jsonResponse(401, { message: 'Unauthorized' }, [['www-authenticate', challenge]]);
      }
      jwt = { claims: apiGatewayClaims(decision.payload), scopes: apiGatewayScopes(decision.payload) };
    }
    const fn = table.functions.get(match.route.functionName);
    if (!fn) return internalServerError();
    try {
      return httpApiResponse(await runtime.invoke(fn, httpApiEvent(request, match.route, match.pathParameters, jwt, host)));
    } catch (error) {
      logFailure(fn.name, error);
      return internalServerError();
    }
  }

  async function serveRest(request: LocalRequest, host: string): Promise<LocalResponse> {
    const match = matchRoute(restRoutes, request.method, request.rawPath);
    if (!match) return jsonResponse(403, { message: 'Missing Authentication Token' }, [['x-amzn-errortype', 'MissingAuthenticationTokenException']]);
    const decision = await authorizeIam(request, lookup, table.region, new Date());
    if (!decision.ok) return decision.response;
    const fn = table.functions.get(match.route.functionName);
    if (!fn) return badGateway();
    try {
      return restResponse(await runtime.invoke(fn, restEvent(request, match.route, match.pathParameters, decision.identity, host)));
    } catch (error) {
      logFailure(fn.name, error);
      return badGateway();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQueryString = q === -1 ? '' : url.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req, limit);
    let response: LocalResponse;
    let api = 'edge';
    if (!body.ok) {
      response = jsonResponse(413, { message: 'Request Entity Too Large' });
    } else {
      const rawHeaders = pairsOf(req.rawHeaders);
      const request: LocalRequest = {
        method, rawPath, rawQueryString, rawHeaders, body: body.body, requestId, receivedAt: new Date(started),
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      };
      const host = req.headers.host ?? `127.0.0.1:${port}`;
      const signed = /^AWS4-HMAC-SHA256\s/i.test(headerValue(rawHeaders, 'authorization') ?? '') || /(^|&)X-Amz-Algorithm=AWS4-HMAC-SHA256(&|$)/i.test(rawQueryString);
      api = signed ? 'rest' : 'http';
      response = signed ? await serveRest(request, host) : await serveHttpApi(request, host);
    }
    const extra: [string, string][] = [[api === 'rest' ? 'x-amzn-requestid' : 'apigw-requestid', requestId]];
    if (!body.ok) extra.push(['connection', 'close']);
    send(res, response, extra);
    // Path only: query strings may carry cursors or presigned credentials.
    if (options.accessLog !== false) console.error(`local-api ${api} ${method} ${rawPath} ${response.status} ${Date.now() - started}ms`);
  }

  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res, port).catch((error: unknown) => {
      logFailure('edge', error);
      if (!res.headersSent) send(res, internalServerError());
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const schedules = startSchedules(table, runtime, { everySeconds: options.scheduleSeconds ?? 60, stage: options.stage });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    runtime,
    close: () =>
      new Promise<void>((resolve) => {
        schedules.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function logFailure(where: string, error: unknown): void {
  const e = error as Error;
  console.error(`local-api ${where} failed: ${e?.stack ?? String(error)}`);
}
