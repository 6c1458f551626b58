import { request } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TUNNEL_PROTOCOL, type StreamEvent } from './aws-standin/ssm-streams.ts';

// The local stand-in's counterpart of session-manager-plugin for a
// port-forwarding session: listens on 127.0.0.1:localPort and carries every
// accepted connection over its own stream to the stand-in, which pipes it to
// the session's host:portNumber (dev/aws-standin/ssm-streams.ts). A control
// stream tells it when the session ends; then every connection is cut and
// the tunnel is closed, as the plugin exits when its session is terminated.

export interface TunnelOptions {
  streamUrl: string;
  /** The session's TokenValue: the stand-in admits streams that present it. */
  token: string;
  localPort: number;
}

export type TunnelEnd = { reason: 'terminated' | 'lost' | 'closed'; message: string };

export interface Tunnel {
  port: number;
  /** Resolves once, when the tunnel is closed and every connection through it is cut. */
  ended: Promise<TunnelEnd>;
  close(): void;
}

export class StreamRefusedError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Opens one stream: an HTTP/1.1 upgrade that the stand-in answers with 101, or a refusal in `{error, message}`. */
export function openStream(options: Pick<TunnelOptions, 'streamUrl' | 'token'>, channel: 'control' | 'data'): Promise<Duplex> {
  const url = new URL(options.streamUrl);
  url.searchParams.set('channel', channel);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      agent: false,
      headers: { connection: 'Upgrade', upgrade: TUNNEL_PROTOCOL, authorization: `Bearer ${options.token}` },
    });
    req.once('upgrade', (_res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.once('end', () => {
        let body: { error?: string; message?: string } = {};
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          // not ours: the status says enough
        }
        reject(new StreamRefusedError(res.statusCode ?? 0, body.error ?? 'refused', body.message ?? `the stand-in answered ${res.statusCode}`));
      });
    });
    req.once('error', reject);
    req.end();
  });
}

export async function startTunnel(options: TunnelOptions): Promise<Tunnel> {
  const url = new URL(options.streamUrl);
  if (url.protocol !== 'http:') {
    throw new StreamRefusedError(0, 'not_a_standin_stream', `${url.protocol}//${url.host} is not the local stand-in: this is an AWS StreamUrl, use session-manager-plugin`);
  }
  // The control stream first: a refused token or an ended session fails here, before anything listens.
  const control = await openStream(options, 'control');
  const connections = new Set<Socket | Duplex>();
  const server = createServer((local) => forward(local));
  let resolveEnded!: (end: TunnelEnd) => void;
  const ended = new Promise<TunnelEnd>((resolve) => (resolveEnded = resolve));
  let done = false;

  const finish = (end: TunnelEnd) => {
    if (done) return;
    done = true;
    server.close();
    for (const socket of connections) socket.destroy();
    control.destroy();
    resolveEnded(end);
  };

  function forward(local: Socket): void {
    connections.add(local);
    local.once('close', () => connections.delete(local));
    local.on('error', () => local.destroy());
    local.pause();
    openStream(options, 'data').then(
      (stream) => {
        if (done || local.destroyed) return void stream.destroy();
        connections.add(stream);
        stream.once('close', () => (connections.delete(stream), local.destroy()));
        stream.on('error', () => stream.destroy());
        local.once('close', () => stream.destroy());
        local.pipe(stream);
        stream.pipe(local);
        local.resume();
      },
      (error: Error) => {
        console.error(`tunnel: connection refused by the stand-in: ${error.message}`);
        local.destroy();
      },
    );
  }

  let buffered = '';
  control.setEncoding('utf8');
  control.on('data', (chunk: string) => {
    buffered += chunk;
    const line = buffered.split('\n')[0];
    if (buffered.includes('\n') && line) {
      try {
        const event = JSON.parse(line) as StreamEvent;
        finish({ reason: event.event === 'terminated' ? 'terminated' : 'lost', message: event.message });
      } catch {
        finish({ reason: 'lost', message: 'The stand-in sent something that is not a stream event.' });
      }
    }
  });
  control.on('error', () => undefined);
  control.once('close', () => finish({ reason: 'lost', message: 'Lost the stream to the AWS stand-in (stopped or restarted?).' }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      control.destroy();
      reject(error.code === 'EADDRINUSE' ? new Error(`127.0.0.1:${options.localPort} is already in use; choose another local port`) : error);
    });
    server.listen(options.localPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.localPort,
    ended,
    close: () => finish({ reason: 'closed', message: 'Closed.' }),
  };
}
