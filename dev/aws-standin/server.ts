import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { AwsError } from './aws-error.ts';
import { CONTROL_PREFIX, handleControl } from './control.ts';
import * as ids from './ids.ts';
import type { Principal } from './model.ts';
import { verifySigV4 } from './sigv4.ts';
import { handleSsm, ssmAuthError } from './ssm-handler.ts';
import { SsmStreams, STREAM_PREFIX } from './ssm-streams.ts';
import { StandinState, type StandinFault } from './state.ts';
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
  /** Called after every call that changed the state (e.g. to save it); see state-file.ts. */
  persist?: (state: StandinState) => void;
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

/** Calls whose success changes what the stand-in remembers. */
const CHANGING = new Set(['control:roles', 'control:databases', 'control:instances', 'control:credentials', 'sts:AssumeRole', 'ssm:StartSession', 'ssm:TerminateSession']);

/** Handles one request; resolves to whether it changed the state. */
async function handle(state: StandinState, req: IncomingMessage, res: ServerResponse, standinUrl: string): Promise<boolean> {
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

  if (req.url?.startsWith(CONTROL_PREFIX)) {
    const control = await handleControl(state, req, body);
    send(res, control.status, 'application/json', JSON.stringify(control.body), now, requestId);
    return control.status < 300 && CHANGING.has(`control:${control.action}`);
  }
  if (!protocol) {
    send(res, 404, 'text/plain', 'The AWS stand-in speaks STS (query) and SSM (JSON 1.1) only.\n', now, requestId);
    return false;
  }
  if (body === undefined) {
    replyError(new AwsError('RequestEntityTooLarge', 'Request body too large.', 413));
    return false;
  }
  try {
    const url = req.url ?? '/';
    const auth = await verifySigV4<Principal>(
      { method: req.method ?? 'POST', url, headers: req.headers, body },
      (accessKeyId) => state.lookupCredential(accessKeyId),
      { service: protocol.service, now },
    );
    if (!auth.ok) {
      replyError(protocol.service === 'ssm' ? ssmAuthError(auth.code, auth.message) : stsAuthError(auth.code, auth.message));
      return false;
    }
    const form = protocol.service === 'sts' ? new URLSearchParams(req.method === 'GET' ? url.slice(url.indexOf('?') + 1) : body) : undefined;
    const operation = protocol.service === 'ssm' ? `ssm:${protocol.operation}` : `sts:${form?.get('Action') ?? ''}`;
    const fault = state.takeFault(operation);
    const injected = async (when: StandinFault['when']) => {
      if (fault?.when !== when) return;
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.error) throw new AwsError(fault.error.code, 'Injected by the stand-in (POST /_standin/faults).', fault.error.status);
    };
    await injected('before');
    const answer = protocol.service === 'ssm'
      ? handleSsm({ operation: protocol.operation, body, caller: auth.credential, region: auth.region, state, now, standinUrl })
      : handleSts({ form: form!, caller: auth.credential, state, now, requestId });
    try {
      await injected('after');
    } catch (error) {
      // The call took effect; only its answer is lost. Its change is still saved.
      if (error instanceof AwsError) replyError(error);
      return CHANGING.has(operation);
    }
    reply(200, answer);
    return CHANGING.has(operation);
  } catch (error) {
    if (error instanceof AwsError) {
      replyError(error);
      return false;
    }
    // Never echo internals (or anything secret) to the client; the name is enough here.
    console.error(`aws-standin: internal error ${requestId}: ${error instanceof Error ? error.name : 'unknown'}`);
    const internal = protocol.service === 'ssm' ? 'InternalServerError' : 'InternalFailure';
    replyError(new AwsError(internal, 'The request processing has failed because of an unknown error.', 500, 'Receiver'));
    return false;
  }
}

export async function startAwsStandin(opts: AwsStandinOptions = {}): Promise<AwsStandin> {
  const state = opts.state ?? new StandinState();
  if (opts.clock) state.clock = opts.clock;
  const streams = new SsmStreams(state);
  let url = '';
  const server = createServer((req, res) => {
    handle(state, req, res, url).then(
      (changed) => {
        if (!changed || !opts.persist) return;
        try {
          opts.persist(state);
        } catch (error) {
          // The call succeeded; only its memory across restarts did not. Say so, and keep serving.
          console.error(`aws-standin: could not save the state: ${(error as Error).message}`);
        }
      },
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith(STREAM_PREFIX)) return streams.handleUpgrade(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    state,
    // Idempotent: a test may stop it mid-way and again in its teardown.
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close() waits for them.
        server.closeAllConnections();
        // Upgraded sockets are no longer the server's: cut the tunnels' streams ourselves.
        streams.closeAll();
      })),
  };
}
