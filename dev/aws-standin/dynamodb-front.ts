import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize } from './authorize.ts';
import { AwsError, notAuthorizedMessage } from './aws-error.ts';
import { checksOf, type Check, type KeySchema } from './dynamodb-checks.ts';
import * as ids from './ids.ts';
import type { Principal } from './model.ts';
import { verifySigV4, type SigV4FailureCode } from './sigv4.ts';
import type { StandinState } from './state.ts';

// The local stand-in for DynamoDB's front door: DynamoDB Local accepts any
// keys, so this proxy does what AWS does before a call reaches the table. It
// verifies the SigV4 signature against the stand-in's credentials (the
// functions' own session, and the tenant sessions STS issued), then asks the
// stand-in's IAM evaluator whether the signing session may make each action on
// each resource — its role's policies AND its session policy, with its session
// tags as aws:PrincipalTag/* and the call's partition keys as
// dynamodb:LeadingKeys — and only then forwards the call unchanged. A refusal
// is DynamoDB's AccessDeniedException, as the SDK sees it from AWS.

export interface DynamoFront {
  url: string;
  close(): Promise<void>;
}

export interface DynamoFrontOptions {
  state: StandinState;
  /** DynamoDB Local's endpoint, e.g. http://127.0.0.1:8000. */
  upstream: string;
  /** Key schema of every table, by table name (dev/dynamodb-tables.ts reads them from infra/tables.yml). */
  tables: ReadonlyMap<string, KeySchema>;
  account: string;
  port?: number;
}

const MAX_BODY_BYTES = 16 << 20;
const TARGET_PREFIX = 'DynamoDB_20120810.';

function authError(code: SigV4FailureCode, message: string): AwsError {
  switch (code) {
    case 'missing-authentication':
      return new AwsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 400);
    case 'unknown-access-key':
    case 'invalid-session-token':
      return new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    case 'expired-token':
      return new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    default:
      return new AwsError('InvalidSignatureException', message, 400);
  }
}

const resourceOf = (check: Check, region: string, account: string): string =>
  `arn:aws:dynamodb:${region}:${account}:table/${check.table}${check.index ? `/index/${check.index}` : ''}`;

function judge(state: StandinState, caller: Principal, checks: readonly Check[], region: string, account: string, now: Date): void {
  for (const check of checks) {
    const resource = resourceOf(check, region, account);
    const context = check.leadingKeys ? { 'dynamodb:LeadingKeys': check.leadingKeys } : {};
    const verdict = authorize(state, caller, check.action, [{ arn: resource, context }], now);
    if (!verdict.allowed) throw new AwsError('AccessDeniedException', notAuthorizedMessage(caller.arn, check.action, resource, verdict.because), 400);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendError(res: ServerResponse, error: AwsError, requestId: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${error.code}`, Message: error.message });
  res.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

export async function startDynamoFront(options: DynamoFrontOptions): Promise<DynamoFront> {
  const upstream = new URL(options.upstream);
  // One pool of kept-alive sockets to DynamoDB Local, sized like the functions' own agent.
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) sendError(res, new AwsError('InternalServerError', 'DynamoDB Local is unreachable.', 500), ids.requestId());
      else res.destroy();
    });
    out.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = ids.requestId();
    const now = options.state.now();
    const body = await readBody(req);
    if (body === undefined) return sendError(res, new AwsError('ValidationException', 'Request body too large.', 413), requestId);
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
      return sendError(res, new AwsError('UnknownOperationException', 'The local DynamoDB front speaks DynamoDB JSON 1.0 only.', 400), requestId);
    }
    try {
      const auth = await verifySigV4<Principal>(
        { method: 'POST', url: req.url ?? '/', headers: req.headers, body },
        (accessKeyId) => options.state.lookupCredential(accessKeyId),
        { service: 'dynamodb', now },
      );
      if (!auth.ok) throw authError(auth.code, auth.message);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new AwsError('SerializationException', 'The request body is not JSON.', 400);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AwsError('SerializationException', 'The request body is not a JSON object.', 400);
      const checks = checksOf(target.slice(TARGET_PREFIX.length), parsed as Record<string, unknown>, options.tables);
      judge(options.state, auth.credential, checks, auth.region, options.account, now);
    } catch (error) {
      if (error instanceof AwsError) return sendError(res, error, requestId);
      throw error;
    }
    forward(req, res, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`dynamodb-front: internal error: ${error instanceof Error ? error.name : 'unknown'}`);
      if (!res.headersSent) sendError(res, new AwsError('InternalServerError', 'Internal server error', 500), ids.requestId());
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      })),
  };
}

/** The key schemas of CreateTable inputs (dev/dynamodb-tables.ts), as the front needs them. */
export function keySchemasOf(inputs: readonly { TableName?: string; KeySchema?: { AttributeName?: string; KeyType?: string }[]; GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: { AttributeName?: string; KeyType?: string }[] }[] }[]): Map<string, KeySchema> {
  const hashOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  return new Map(
    inputs.map((input) => [
      input.TableName ?? '',
      { hashKey: hashOf(input.KeySchema), indexes: Object.fromEntries((input.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName ?? '', hashOf(i.KeySchema)])) },
    ]),
  );
}
