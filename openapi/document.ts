import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import type { ErrorCode } from '#shared/kernel/errors';
import { exposedServerErrors, statusByCode } from '#shared/http/error-mapper';
import { maxBodyBytes } from '#shared/http/route';
import { idempotencyKeySchema } from '#shared/http/idempotency';
import { readServerlessYaml, type ServerlessDoc } from '#dev/serverless-config';
import { routeTableFrom } from '#dev/local-api/route-table';
import { operations as allOperations, type Operation } from './operations.ts';
import { prose } from './prose.ts';

// Builds the OpenAPI 3.1 document from serverless.yml's route table and operations.ts.
// Run `npm run openapi` to write docs/openapi.json, docs/api.md and client/schema.d.ts;
// tests fail while any of them is stale, or while a route and an operation do not match.

export const REGENERATE = 'npm run openapi';
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** How a serverless.yml route is authenticated, and the document's security requirement for it. */
type Auth = { people: boolean; services: boolean };

/** API Gateway's own refusals carry only a message (401 from the JWT authorizer, 403 on the REST API, 413 at the edge). */
const gatewayMessage = z.object({ message: z.string() }).strict().meta({ id: 'GatewayMessage', description: "API Gateway's own refusal, before any function runs." });

const statusText: Record<number, string> = {
  400: 'The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor.',
  401: 'No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant.',
  403: 'Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role).',
  404: "Not found in the caller's tenant.",
  409: 'The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running.',
  413: 'The body is over 32 KiB (any method: the limit is checked before anything else).',
  415: 'The body is not JSON.',
  422: "Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call.",
  500: 'A fault on our side; the body reveals nothing.',
  502: 'STS or SSM refused or failed (the body names the AWS error code only).',
  503: 'The deployment lacks a setting, or the issuance could not be logged (nothing was handed out; retrying is safe).',
};

/** The header as the document spells it; route() reads it case-insensitively (headers are normalised). */
const idempotencyHeader = z.object({ 'Idempotency-Key': idempotencyKeySchema.optional() });

function errorBody(codes: string[]) {
  return z
    .object({
      error: z.enum(codes as [string, ...string[]]),
      message: z.string(),
      details: z.unknown().optional().meta({ description: 'Which fields failed, or what the state was.' }),
    })
    .strict();
}

/** The codes an operation can answer: its own, plus what its shape implies at the edge. */
export function codesOf(op: Operation, auth: Auth): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.errors);
  // route() (every authenticated handler) checks the body's size whatever the method; it parses JSON only where a body schema is.
  if (auth.people || auth.services) codes.add('unauthenticated').add('corrupt_record').add('payload_too_large');
  if (auth.services) codes.add('forbidden');
  if (op.path || op.query || op.body) codes.add('validation_failed');
  if (op.body) for (const c of ['malformed_json', 'unsupported_media_type'] as const) codes.add(c);
  if (op.idempotent) codes.add('validation_failed').add('idempotency_key_reused').add('idempotency_in_progress');
  return [...codes];
}

function responsesOf(op: Operation, auth: Auth): ZodOpenApiResponsesObject {
  const success = op.success;
  const responses: ZodOpenApiResponsesObject = {
    [success.status]: {
      description: success.description,
      content: 'body' in success ? { 'application/json': { schema: success.body } } : Object.fromEntries(Object.entries(success.content).map(([type, schema]) => [type, { schema }])),
      ...('headers' in success && success.headers ? { headers: Object.fromEntries(Object.entries(success.headers).map(([name, h]) => [name, { description: h.description, schema: { type: 'string' } }])) } : {}),
    },
  };
  const byStatus = new Map<number, string[]>();
  for (const code of codesOf(op, auth)) {
    const status = statusByCode[code];
    // A 5xx speaks only when its message was written for the caller; any other is the generic internal_error.
    const wire = status >= 500 && !exposedServerErrors.has(code) ? 'internal_error' : code;
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), wire])]);
  }
  if (auth.people || auth.services) byStatus.set(500, [...new Set([...(byStatus.get(500) ?? []), 'internal_error'])]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const ours = errorBody(codes.sort());
    const gateway = status === 401 || status === 413 || (status === 403 && auth.services);
    responses[String(status) as `4${string}`] = {
      description: statusText[status] ?? 'An error.',
      content: { 'application/json': { schema: gateway ? z.union([ours, gatewayMessage]) : ours } },
    };
  }
  return responses;
}

function securityOf(auth: Auth): Array<Record<string, string[]>> {
  return [...(auth.people ? [{ bearerAuth: [] }] : []), ...(auth.services ? [{ sigv4: [] }] : [])];
}

export class RouteMismatchError extends Error {}

/**
 * Every HTTP API route of serverless.yml must have an operation and every operation a route
 * (served by the same function); REST (SigV4) routes must repeat an HTTP API route.
 */
export function routesOf(doc: ServerlessDoc, operations: Record<string, Operation>): Array<{ key: string; method: string; path: string; op: Operation; auth: Auth }> {
  const table = routeTableFrom(doc, { stage: 'openapi' });
  const problems: string[] = [];
  const routes = table.httpApi.map((r) => {
    const key = `${r.method} ${r.path}`;
    const op = operations[key];
    if (!op) problems.push(`serverless.yml route ${key} (function ${r.functionName}) has no operation in openapi/operations.ts`);
    else if (op.fn !== r.functionName) problems.push(`${key}: serverless.yml serves it with ${r.functionName}, openapi/operations.ts says ${op.fn}`);
    const services = table.rest.some((rest) => rest.method === r.method && rest.path === r.path);
    return { key, method: r.method, path: r.path, op: op!, auth: { people: r.authorizer !== undefined, services } };
  });
  for (const rest of table.rest) {
    if (!table.httpApi.some((r) => r.method === rest.method && r.path === rest.path)) problems.push(`serverless.yml REST route ${rest.method} ${rest.path} has no HTTP API twin`);
  }
  for (const key of Object.keys(operations)) {
    if (!routes.some((r) => r.key === key)) problems.push(`openapi/operations.ts has ${key}, which serverless.yml does not route`);
  }
  if (problems.length > 0) {
    throw new RouteMismatchError(
      `${problems.join('\n')}\n` +
        "Fix: give each route an entry keyed 'METHOD /path' in `operations` (openapi/operations.ts): its function, the zod schemas its handler " +
        `passes to route(), its success body schema and its error codes; then run \`${REGENERATE}\` and commit docs/openapi.json, docs/api.md and client/schema.d.ts.`,
    );
  }
  return routes;
}

export function buildDocument(doc: ServerlessDoc = readServerlessYaml(), operations: Record<string, Operation> = allOperations) {
  const paths: ZodOpenApiPathsObject = {};
  for (const { method, path, op, auth } of routesOf(doc, operations)) {
    const operation: ZodOpenApiOperationObject = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: auth.services ? `${op.description}\n\nAlso served on the services API (SigV4).` : op.description } : {}),
      security: securityOf(auth),
      ...(op.path || op.query || op.idempotent
        ? { requestParams: { ...(op.path ? { path: op.path } : {}), ...(op.query ? { query: op.query } : {}), ...(op.idempotent ? { header: idempotencyHeader } : {}) } }
        : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
      responses: responsesOf(op, auth),
      'x-latchkey-function': op.fn,
    };
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Latchkey',
      version,
      description: `${prose('api')}\n\n## Why two APIs (people vs. services)\n\n${prose('two-apis')}`,
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'People: the HTTP API (bearer JWT). Every operation.',
        variables: { apiId: { default: 'API_ID' }, region: { default: 'eu-central-1' } },
      },
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: 'Services: the REST API (SigV4, service execute-api). Only the operations that list sigv4 security.',
        variables: { restApiId: { default: 'REST_API_ID' }, region: { default: 'eu-central-1' }, stage: { default: 'prod' } },
      },
      { url: 'http://127.0.0.1:4480', description: 'The local stack (`npm start`, default port): both APIs on one port.' },
    ],
    tags: [
      { name: 'identity', description: 'Who the caller is.' },
      { name: 'targets', description: 'Databases and their access policies.' },
      { name: 'services', description: 'Third-party services that call as their IAM role.' },
      { name: 'requests', description: 'Access requests and their decisions.' },
      { name: 'credentials', description: prose('credentials') },
      { name: 'integrations', description: 'Customer AWS accounts: the role Latchkey assumes there, and its setup.' },
      { name: 'audit', description: prose('grant-log') },
      { name: 'notifications', description: 'Slack, email and webhooks: who hears about requests, and approving from Slack (docs/notifications.md).' },
      { name: 'meta', description: 'This description.' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "People: an OIDC access token from the deployment's issuer and audience, checked by API Gateway's JWT authorizer; claims `sub`, `tenant`, `roles`, `groups` by default (their names are deploy parameters: docs/deploy.md).",
        },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'Services: AWS Signature Version 4 (service `execute-api`) by a session of the IAM role an admin registered (POST /services), on the REST API.',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
    'x-latchkey-max-body-bytes': maxBodyBytes,
  });
}
