import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#dev/paths';
import { routeTableFrom } from '#dev/local-api/route-table';
import { readServerlessYaml, resolveVariables, type ServerlessDoc } from '#dev/serverless-config';

// The local API's route table comes from serverless.yml and nowhere else.

const doc = readServerlessYaml();
const table = routeTableFrom(doc, { stage: 'local', params: { oidcIssuer: 'http://127.0.0.1:4481' } });

function minimal(functions: Record<string, unknown>): ServerlessDoc {
  return {
    service: 'svc',
    provider: { name: 'aws', httpApi: { authorizers: { people: { type: 'jwt', issuerUrl: 'https://i', audience: ['a'] } } } },
    functions,
  };
}

describe('route table from serverless.yml', () => {
  it('serves GET /me on both APIs from the whoami handler', () => {
    expect(table.httpApi).toContainEqual({ api: 'httpApi', method: 'GET', path: '/me', routeKey: 'GET /me', functionName: 'whoami', authorizer: 'people' });
    expect(table.rest).toContainEqual({ api: 'rest', method: 'GET', path: '/me', functionName: 'whoami', authorizer: 'aws_iam' });
    expect(table.functions.get('whoami')).toMatchObject({ module: 'functions/whoami/handler', exportName: 'handler' });
  });

  it('gives REST paths the leading slash serverless.yml leaves out', () => {
    expect(table.rest.map((r) => r.path)).toContain('/requests/{requestId}/cancel');
    expect(table.rest.every((r) => r.path.startsWith('/'))).toBe(true);
  });

  it('lists every httpApi and http event of the file, each exactly once', () => {
    const functions = doc.functions as Record<string, { events?: Record<string, unknown>[] }>;
    const events = Object.values(functions).flatMap((f) => f.events ?? []);
    expect(table.httpApi).toHaveLength(events.filter((e) => 'httpApi' in e).length);
    expect(table.rest).toHaveLength(events.filter((e) => 'http' in e).length);
  });

  it('points every function at a handler module that exists', () => {
    for (const fn of table.functions.values()) expect(existsSync(join(repoRoot, `${fn.module}.ts`)), fn.module).toBe(true);
  });

  it('keeps per-function timeouts and the provider default', () => {
    expect(table.functions.get('expire-requests')).toMatchObject({ timeoutSeconds: 60, schedules: ['rate(5 minutes)'] });
    expect(table.functions.get('whoami')?.timeoutSeconds).toBe(Number((doc.provider as { timeout: number }).timeout));
  });

  it('resolves the JWT authorizer with the local issuer and the configured audience', () => {
    expect(table.authorizers.people).toEqual({ issuer: 'http://127.0.0.1:4481', audience: ['latchkey'] });
  });

  it('resolves the environment the handlers read, with local table names', () => {
    expect(table.environment).toMatchObject({ MAIN_TABLE: 'latchkey-main-local', LOG_TABLE: 'latchkey-log-local' });
    expect(table.region).toBe('eu-central-1');
  });

  it.each([
    ['an http event without aws_iam', { f: { handler: 'functions/f/handler.handler', events: [{ http: { method: 'get', path: 'x' } }] } }, /aws_iam/],
    ['an unknown httpApi authorizer', { f: { handler: 'functions/f/handler.handler', events: [{ httpApi: { method: 'GET', path: '/x', authorizer: { name: 'nobody' } } }] } }, /nobody/],
    ['an event type it cannot serve', { f: { handler: 'functions/f/handler.handler', events: [{ sqs: 'arn' }] } }, /sqs/],
    ['a route declared twice', { f: { handler: 'a.b', events: [{ httpApi: 'GET /x' }] }, g: { handler: 'c.d', events: [{ httpApi: 'GET /x' }] } }, /twice/],
    ['a function with its own environment', { f: { handler: 'a.b', environment: { X: '1' } } }, /environment/],
  ])('refuses %s at start-up', (_name, functions, message) => {
    expect(() => routeTableFrom(minimal(functions), { stage: 'local' })).toThrow(message);
  });
});

describe('serverless.yml variables', () => {
  const sample: ServerlessDoc = { service: 'svc', custom: { name: '${self:service}-x-${sls:stage}' }, params: { default: { p: 'dflt' }, prod: { p: 'prod' } } };

  it.each([
    ['${self:custom.name}', 'svc-x-local'],
    ['${param:p}', 'dflt'],
    ["${opt:region, 'eu-central-1'}", 'eu-central-1'],
    ['pre-${sls:stage}-post', 'pre-local-post'],
  ])('resolves %s', (input, expected) => {
    expect(resolveVariables(input, sample, { stage: 'local' })).toBe(expected);
  });

  it('prefers explicit params, then the stage, then defaults', () => {
    expect(resolveVariables('${param:p}', sample, { stage: 'prod' })).toBe('prod');
    expect(resolveVariables('${param:p}', sample, { stage: 'prod', params: { p: 'cli' } })).toBe('cli');
  });

  it('fails loudly on a variable it cannot resolve', () => {
    expect(() => resolveVariables('${self:custom.missing}', sample, { stage: 'local' })).toThrow(/cannot resolve/);
    expect(() => resolveVariables('${ssm:/x}', sample, { stage: 'local' })).toThrow(/does not resolve/);
  });
});

describe('stream event sources', () => {
  it("serves the notifier from the grant log's stream as serverless.yml declares it", () => {
    expect(table.functions.get('notify')?.streams).toEqual([
      { tableLogicalId: 'GrantLogTable', batchSize: 25, startingPosition: 'TRIM_HORIZON', reportBatchItemFailures: true, maxRetries: 20, eventNames: ['INSERT'] },
    ]);
  });

  it.each([
    ['a Kinesis stream', { type: 'kinesis', arn: { 'Fn::GetAtt': ['S', 'Arn'] } }, /only type dynamodb/],
    ['an ARN given as a string', { type: 'dynamodb', arn: 'arn:aws:dynamodb:eu-central-1:1:table/t/stream/x' }, /only type dynamodb/],
    ['a filter on anything but eventName', { type: 'dynamodb', arn: { 'Fn::GetAtt': ['GrantLogTable', 'StreamArn'] }, filterPatterns: [{ dynamodb: { Keys: {} } }] }, /filters on eventName only/],
  ])('refuses %s at start-up rather than serving it differently', (_name, stream, message) => {
    const doc = minimal({ f: { handler: 'functions/f/handler.handler', events: [{ stream }] } });
    expect(() => routeTableFrom(doc, { stage: 'local', params: {} })).toThrow(message);
  });
});
