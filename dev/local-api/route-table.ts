import { resolveVariables, type ResolveContext, type ServerlessDoc } from '../serverless-config.ts';

// The local API's whole configuration, derived from serverless.yml: which
// handler serves which route of which API, under which authorizer, with which
// timeout. Anything the local API cannot emulate faithfully is refused here,
// at start-up, rather than served differently from AWS.

export interface FunctionDef {
  name: string;
  /** `functions/whoami/handler` — the module, relative to the repo, without extension. */
  module: string;
  exportName: string;
  timeoutSeconds: number;
  memoryMb: number;
  schedules: string[];
  /** DynamoDB stream event sources: the table's logical id in infra/tables.yml, as `Fn::GetAtt: [Id, StreamArn]` names it. */
  streams: StreamSource[];
}

export interface StreamSource {
  tableLogicalId: string;
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  reportBatchItemFailures: boolean;
  /** `maximumRetryAttempts`: retries of a failing batch before it is skipped (AWS's default, -1, retries until the record expires). */
  maxRetries: number;
  /** `filterPatterns: [{ eventName: [...] }]`: the only filter the local poller applies; undefined = every record. */
  eventNames?: string[];
}

/** HTTP API (payload v2.0) route; `authorizer` names a JWT authorizer. */
export interface HttpApiRoute {
  api: 'httpApi';
  method: string;
  path: string;
  routeKey: string;
  functionName: string;
  authorizer?: string;
}

/** REST API (payload v1.0) resource; every one is AWS_IAM-authorized. */
export interface RestRoute {
  api: 'rest';
  method: string;
  path: string;
  functionName: string;
  authorizer: 'aws_iam';
}

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string[];
}

export interface RouteTable {
  service: string;
  region: string;
  environment: Record<string, string>;
  functions: Map<string, FunctionDef>;
  httpApi: HttpApiRoute[];
  rest: RestRoute[];
  authorizers: Record<string, JwtAuthorizerConfig>;
}

type Obj = Record<string, unknown>;
const asObj = (value: unknown, what: string): Obj => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`serverless.yml: ${what} must be a map`);
  return value as Obj;
};

export function routeTableFrom(doc: ServerlessDoc, ctx: ResolveContext): RouteTable {
  // Resolve only what the local API reads: `resources` pulls in CloudFormation
  // (`${file(...)}`) that the table bootstrap reads on its own.
  const provider = asObj(resolveVariables(doc.provider, doc, ctx), 'provider');
  const functionsNode = asObj(resolveVariables(doc.functions ?? {}, doc, ctx), 'functions');
  const providerTimeout = Number(provider.timeout ?? 6);
  const providerMemory = Number(provider.memorySize ?? 1024);

  const table: RouteTable = {
    service: String(doc.service),
    region: String(provider.region ?? 'us-east-1'),
    environment: stringRecord(provider.environment ?? {}),
    functions: new Map(),
    httpApi: [],
    rest: [],
    authorizers: jwtAuthorizers(provider),
  };

  for (const [name, raw] of Object.entries(functionsNode)) {
    const fn = asObj(raw, `functions.${name}`);
    if (fn.environment !== undefined) {
      // All handlers share one process locally, and each parses its config at module scope.
      throw new Error(`serverless.yml: function ${name} sets its own environment, which the local API cannot isolate`);
    }
    const handler = String(fn.handler ?? '');
    const dot = handler.lastIndexOf('.');
    if (dot <= 0) throw new Error(`serverless.yml: function ${name} has no handler "path/module.export"`);
    const def: FunctionDef = {
      name,
      module: handler.slice(0, dot),
      exportName: handler.slice(dot + 1),
      timeoutSeconds: Number(fn.timeout ?? providerTimeout),
      memoryMb: Number(fn.memorySize ?? providerMemory),
      schedules: [],
      streams: [],
    };
    table.functions.set(name, def);
    for (const event of (fn.events ?? []) as Obj[]) addEvent(table, def, asObj(event, `functions.${name}.events[]`));
  }
  rejectDuplicates(table);
  return table;
}

function addEvent(table: RouteTable, fn: FunctionDef, event: Obj): void {
  if ('httpApi' in event) {
    const spec = event.httpApi;
    const { method, path } = typeof spec === 'string' ? splitRouteString(spec) : methodAndPath(asObj(spec, 'httpApi event'));
    const authorizerNode = typeof spec === 'object' && spec !== null ? (spec as Obj).authorizer : undefined;
    const authorizer = typeof authorizerNode === 'string' ? authorizerNode : (authorizerNode as Obj | undefined)?.name;
    if (authorizer !== undefined && !(String(authorizer) in table.authorizers)) {
      throw new Error(`serverless.yml: ${fn.name} uses httpApi authorizer "${String(authorizer)}", which is not a JWT authorizer of provider.httpApi`);
    }
    const upper = method === '*' ? 'ANY' : method.toUpperCase();
    table.httpApi.push({
      api: 'httpApi',
      method: upper,
      path,
      routeKey: spec === '*' ? '$default' : `${upper} ${path}`,
      functionName: fn.name,
      ...(authorizer === undefined ? {} : { authorizer: String(authorizer) }),
    });
  } else if ('http' in event) {
    const spec = event.http;
    const { method, path } = typeof spec === 'string' ? splitRouteString(spec) : methodAndPath(asObj(spec, 'http event'));
    const auth = typeof spec === 'object' && spec !== null ? (spec as Obj).authorizer : undefined;
    const kind = typeof auth === 'string' ? auth : (auth as Obj | undefined)?.type;
    // One listener serves both APIs and tells them apart by the Authorization
    // scheme, so a REST route must be SigV4-signed to be reachable at all.
    if (String(kind).toLowerCase() !== 'aws_iam') {
      throw new Error(`serverless.yml: ${fn.name} has an http event without "authorizer: aws_iam"; the local API serves only IAM-authorized REST routes`);
    }
    const restPath = `/${path.replace(/^\/+/, '')}`;
    table.rest.push({ api: 'rest', method: method.toUpperCase(), path: restPath, functionName: fn.name, authorizer: 'aws_iam' });
  } else if ('schedule' in event) {
    const spec = event.schedule;
    const enabled = typeof spec === 'object' && spec !== null ? (spec as Obj).enabled !== false : true;
    const rate = typeof spec === 'object' && spec !== null ? (spec as Obj).rate : spec;
    if (enabled) for (const r of Array.isArray(rate) ? rate : [rate]) fn.schedules.push(String(r));
  } else if ('stream' in event) {
    fn.streams.push(streamSource(fn.name, asObj(event.stream, `functions.${fn.name}.events[].stream`)));
  } else {
    throw new Error(`serverless.yml: ${fn.name} has an event type the local stack does not serve: ${Object.keys(event).join(', ')}`);
  }
}

function streamSource(name: string, spec: Obj): StreamSource {
  const arn = spec.arn as Obj | undefined;
  const getAtt = arn?.['Fn::GetAtt'];
  if (spec.type !== 'dynamodb' || !Array.isArray(getAtt) || getAtt[1] !== 'StreamArn') {
    throw new Error(`serverless.yml: ${name} has a stream event the local stack cannot serve (only type dynamodb with arn Fn::GetAtt [Table, StreamArn])`);
  }
  const filters = (spec.filterPatterns ?? []) as Obj[];
  const keys = filters.flatMap((f) => Object.keys(f));
  if (keys.some((k) => k !== 'eventName')) throw new Error(`serverless.yml: ${name} filters its stream on ${keys.join(', ')}; the local poller filters on eventName only`);
  const eventNames = filters.flatMap((f) => (f.eventName as string[] | undefined) ?? []).map(String);
  return {
    tableLogicalId: String(getAtt[0]),
    batchSize: Number(spec.batchSize ?? 100),
    startingPosition: spec.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
    reportBatchItemFailures: spec.functionResponseType === 'ReportBatchItemFailures',
    maxRetries: Number(spec.maximumRetryAttempts ?? -1),
    ...(eventNames.length > 0 ? { eventNames } : {}),
  };
}

function jwtAuthorizers(provider: Obj): Record<string, JwtAuthorizerConfig> {
  const httpApi = (provider.httpApi ?? {}) as Obj;
  const out: Record<string, JwtAuthorizerConfig> = {};
  for (const [name, raw] of Object.entries((httpApi.authorizers ?? {}) as Obj)) {
    const a = asObj(raw, `provider.httpApi.authorizers.${name}`);
    if (a.type !== undefined && String(a.type).toLowerCase() !== 'jwt') continue;
    if (a.identitySource !== undefined && a.identitySource !== '$request.header.Authorization') {
      throw new Error(`serverless.yml: authorizer ${name} reads ${String(a.identitySource)}; the local API reads only the Authorization header`);
    }
    const audience = Array.isArray(a.audience) ? a.audience.map(String) : [String(a.audience)];
    out[name] = { issuer: String(a.issuerUrl), audience };
  }
  return out;
}

function methodAndPath(spec: Obj): { method: string; path: string } {
  return { method: String(spec.method ?? '*'), path: String(spec.path ?? '') };
}

function splitRouteString(spec: string): { method: string; path: string } {
  if (spec === '*') return { method: '*', path: '/{proxy+}' };
  const [method = '', path = ''] = spec.trim().split(/\s+/);
  return { method, path };
}

function stringRecord(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asObj(value, 'environment')).map(([k, v]) => [k, String(v)]));
}

function rejectDuplicates(table: RouteTable): void {
  const seen = new Set<string>();
  for (const route of [...table.httpApi, ...table.rest]) {
    const key = `${route.api} ${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`serverless.yml: route ${key} is declared twice`);
    seen.add(key);
  }
}
