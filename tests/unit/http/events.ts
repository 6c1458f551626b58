import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

// The fixture events under tests/events/api-gateway, as API Gateway sends them.
// Each call returns a fresh copy: middlewares mutate the event they are given.
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../events/api-gateway/${name}`, import.meta.url), 'utf8'));

export const httpApiJwtEvent = () => load('http-api-v2-jwt.json') as APIGatewayProxyEventV2WithJWTAuthorizer;
export const restIamEvent = () => load('rest-v1-iam.json') as APIGatewayProxyEvent;

/** What Lambda passes as the context, minus getRemainingTimeInMillis (so middy sets no early timeout). */
export const lambdaContext = {
  awsRequestId: '6f1c1f5e-0000-4000-8000-000000000001',
  functionName: 'latchkey-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:latchkey-test',
  memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/latchkey-test',
  logStreamName: '2030/01/15/[$LATEST]0000',
  callbackWaitsForEmptyEventLoop: true,
} as unknown as Context;

/** Replaces the JWT claims API Gateway passed on; `undefined` removes the authorizer entirely. */
export function withClaims(event: APIGatewayProxyEventV2WithJWTAuthorizer, claims: Record<string, unknown> | undefined): APIGatewayProxyEventV2WithJWTAuthorizer {
  const requestContext = { ...event.requestContext } as Record<string, unknown>;
  if (claims === undefined) delete requestContext.authorizer;
  else requestContext.authorizer = { jwt: { claims, scopes: null } };
  return { ...event, requestContext } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}
