import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './aws-error.ts';
import { CONTROL_PREFIX, handleControl } from './control.ts';
import * as ids from './ids.ts';
import type { Principal } from './model.ts';
import { verifySigV4 } from './sigv4.ts';
import { handleSsm, ssmAuthError } from './ssm-handler.ts';
import { StandinState } from './state.ts';
import { handleSts, stsAuthError, stsErrorDocument } from './sts-handler.ts';

// The local stand-in for STS and SSM on one port: unmodified SDK v3 clients
// work against it with only `endpoint` overridden. Every call must carry a
// valid SigV4 signature from credentials the state knows.

export interface AwsStandin {
  url: string;
  state: StandinState;
  close(): Promise<void>;
}

export interface AwsStandinOptions {
  port?: number;
  /** Shared with the state: the server's clock is the clock policies see. */
  clock?: () => Date;
  state?: StandinState;
}

const MAX_BODY_BYTES = 1 << 20;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

type Protocol = { service: 'sts' } | { service: 'ssm'; operation: string };

function protocolOf(req: IncomingMessage): Protocol | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AmazonSSM.')) return { service: 'ssm', operation: target.slice('AmazonSSM.'.length) };
  const type = req.headers['content-type'] ?? '';
  if (req.method === 'GET' || type.startsWith('application/x-www-form-urlencoded')) return { service: 'sts' };
  return undefined;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, now: Date, requestId: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    // The SDK corrects its clock skew from this header, so it must be ours.
    date: now.toUTCString(),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

async function handle(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = state.now();
  const requestId = ids.requestId();
  const protocol = protocolOf(req);
  const body = await readBody(req);
  const reply = (status: number, payload: string | Record<string, string>): void =>
    protocol?.service === 'ssm'
      ? send(res, status, 'application/x-amz-json-1.1', JSON.stringify(payload), now, requestId)
      : send(res, status, 'text/xml', String(payload), now, requestId);
  const replyError = (error: AwsError): void =>
    protocol?.service === 'ssm'
      ? reply(error.status, { __type: error.code, message: error.message })
      : reply(error.status, stsErrorDocument(error, requestId));

  if (req.url?.startsWith(CONTROL_PREFIX) && body !== undefined) {
    const control = await handleControl(state, req, body);
    return send(res, control.status, 'application/json', JSON.stringify(control.body), now, requestId);
  }
  if (!protocol) return send(res, 404, 'text/plain', 'The AWS stand-in speaks STS (query) and SSM (JSON 1.1) only.\n', now, requestId);
  if (body === undefined) return replyError(new AwsError('RequestEntityTooLarge', 'Request body too large.', 413));
  try {
    const url = req.url ?? '/';
    const auth = await verifySigV4<Principal>(
      { method: req.method ?? 'POST', url, headers: req.headers, body },
      (accessKeyId) => state.lookupCredential(accessKeyId),
      { service: protocol.service, now },
    );
    if (!auth.ok) {
      return replyError(protocol.service === 'ssm' ? ssmAuthError(auth.code, auth.message) : stsAuthError(auth.code, auth.message));
    }
    if (protocol.service === 'ssm') {
      return reply(200, handleSsm({ operation: protocol.operation, body, caller: auth.credential, region: auth.region, state, now }));
    }
    const form = new URLSearchParams(req.method === 'GET' ? url.slice(url.indexOf('?') + 1) : body);
    return reply(200, handleSts({ form, caller: auth.credential, state, now, requestId }));
  } catch (error) {
    if (error instanceof AwsError) return replyError(error);
    // Never echo internals (or anything secret) to the client; the name is enough here.
    console.error(`aws-standin: internal error ${requestId}: ${error instanceof Error ? error.name : 'unknown'}`);
    const internal = protocol.service === 'ssm' ? 'InternalServerError' : 'InternalFailure';
    return replyError(new AwsError(internal, 'The request processing has failed because of an unknown error.', 500, 'Receiver'));
  }
}

export async function startAwsStandin(opts: AwsStandinOptions = {}): Promise<AwsStandin> {
  const state = opts.state ?? new StandinState();
  if (opts.clock) state.clock = opts.clock;
  const server = createServer((req, res) => {
    handle(state, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close() waits for them.
        server.closeAllConnections();
      }),
  };
}
