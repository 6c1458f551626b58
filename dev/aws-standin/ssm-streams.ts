import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SsmSession } from './model.ts';
import type { StandinState } from './state.ts';

// What stands in for the SSM data channel of a port-forwarding session: real
// loopback TCP forwarding to the session's host:portNumber, for exactly as
// long as the session is open. AWS's data channel protocol (a WebSocket to
// ssmmessages carrying session-manager-plugin's framing) is not reproduced.
// Instead, dev/tunnel.ts plays the plugin with plain HTTP/1.1 upgrades on
// the stand-in's port:
//   GET <StreamUrl>?channel=control   one per tunnel; told when the session ends
//   GET <StreamUrl>?channel=data      one per forwarded TCP connection, then raw bytes both ways
// each with `Upgrade: latchkey-ssm-tunnel/1` and `Authorization: Bearer <TokenValue>`.
// When the session ends (TerminateSession), every socket through it is
// destroyed and new streams are refused with 410.

export const STREAM_PREFIX = '/_standin/stream/';
export const TUNNEL_PROTOCOL = 'latchkey-ssm-tunnel/1';
/** The only document whose sessions carry streams here; see README "Not modelled". */
export const REMOTE_HOST_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

type Refusal = { status: number; error: string; message: string };

function refuse(socket: Duplex, { status, error, message }: Refusal): void {
  const body = JSON.stringify({ error, message });
  socket.end(`HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
const statusText: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone', 502: 'Bad Gateway' };

const switching = `HTTP/1.1 101 Switching Protocols\r\nupgrade: ${TUNNEL_PROTOCOL}\r\nconnection: Upgrade\r\n\r\n`;

/** A control channel's line when its session ends: the tunnel client prints `message` and exits non-zero. */
export type StreamEvent = { event: 'terminated' | 'standin-stopped'; sessionId: string; message: string };

export class SsmStreams {
  /** Every open socket by session: control channels, and both ends of each data stream. */
  private readonly open = new Map<string, { controls: Set<Duplex>; sockets: Set<Duplex> }>();
  private readonly unsubscribe: () => void;

  constructor(private readonly state: StandinState) {
    this.unsubscribe = state.onSessionEnded((session) => this.cut(session.sessionId, 'terminated', `Session ${session.sessionId} was terminated.`));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://standin');
    const session = this.state.sessions.get(decodeURIComponent(url.pathname.slice(STREAM_PREFIX.length)));
    const refusal = this.check(req, url, session);
    if (refusal || !session) return refuse(socket, refusal ?? { status: 404, error: 'session_not_found', message: 'No such session.' });
    if (url.searchParams.get('channel') === 'control') return this.openControl(session, socket);
    this.openData(session, socket, head);
  }

  /** Ends every stream of every session: the stand-in is stopping. */
  closeAll(): void {
    this.unsubscribe();
    for (const sessionId of [...this.open.keys()]) this.cut(sessionId, 'standin-stopped', 'The AWS stand-in stopped.');
  }

  private check(req: IncomingMessage, url: URL, session: SsmSession | undefined): Refusal | undefined {
    if (req.headers.upgrade !== TUNNEL_PROTOCOL) {
      return { status: 400, error: 'unsupported_protocol', message: `Streams speak ${TUNNEL_PROTOCOL} (dev/tunnel.ts), not the SSM data channel protocol.` };
    }
    const channel = url.searchParams.get('channel');
    if (channel !== 'control' && channel !== 'data') return { status: 400, error: 'bad_channel', message: 'channel must be control or data.' };
    if (!session) return { status: 404, error: 'session_not_found', message: 'No such session.' };
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!presented) return { status: 401, error: 'token_missing', message: 'The stream needs the session\'s TokenValue (Authorization: Bearer …).' };
    if (!sameHash(tokenHash(presented), session.tokenHash)) return { status: 403, error: 'token_invalid', message: 'The TokenValue is not this session\'s.' };
    if (session.status !== 'Connected') return { status: 410, error: 'session_terminated', message: `Session ${session.sessionId} was terminated.` };
    if (session.documentName !== REMOTE_HOST_DOCUMENT) {
      return { status: 400, error: 'unsupported_document', message: `Only ${REMOTE_HOST_DOCUMENT} sessions forward ports here, not ${session.documentName}.` };
    }
    return undefined;
  }

  private openControl(session: SsmSession, socket: Duplex): void {
    socket.write(switching);
    this.track(session.sessionId, socket, 'control');
  }

  private openData(session: SsmSession, socket: Duplex, head: Buffer): void {
    const remote = this.remoteOf(session);
    if (!remote) return refuse(socket, { status: 400, error: 'bad_parameters', message: 'The session has no host and portNumber parameters.' });
    const upstream: Socket = connect(remote);
    let connected = false;
    // Tracked before it connects, so a termination while connecting cuts it too.
    this.track(session.sessionId, upstream, 'data');
    let failure: Refusal = { status: 410, error: 'session_terminated', message: `Session ${session.sessionId} was terminated.` };
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      failure = { status: 502, error: 'remote_unreachable', message: `${session.target} could not reach ${remote.label}: ${error.code ?? error.message}` };
    });
    // Either end closing ends the stream: a half-open forward would hang the client.
    upstream.once('close', () => (connected ? socket.destroy() : refuse(socket, failure)));
    socket.once('close', () => upstream.destroy());
    upstream.once('connect', () => {
      connected = true;
      socket.write(switching);
      this.track(session.sessionId, socket, 'data');
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
  }

  /** host/portNumber as sent to StartSession, through the database's local address when registered with one. */
  private remoteOf(session: SsmSession): { host: string; port: number; label: string } | undefined {
    const host = session.parameters.host?.[0];
    const port = Number(session.parameters.portNumber?.[0]);
    if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) return undefined;
    const local = this.state.findDatabase(host, port)?.reachableAt;
    return { ...(local ?? { host, port }), label: `${host}:${port}` };
  }

  private track(sessionId: string, socket: Duplex, kind: 'control' | 'data'): void {
    let entry = this.open.get(sessionId);
    if (!entry) this.open.set(sessionId, (entry = { controls: new Set(), sockets: new Set() }));
    const set = kind === 'control' ? entry.controls : entry.sockets;
    set.add(socket);
    socket.once('close', () => set.delete(socket));
  }

  private cut(sessionId: string, event: StreamEvent['event'], message: string): void {
    const entry = this.open.get(sessionId);
    if (!entry) return;
    this.open.delete(sessionId);
    // Data first: by the time a tunnel client reads "terminated", its connections are already gone.
    for (const socket of entry.sockets) socket.destroy();
    const line = `${JSON.stringify({ event, sessionId, message } satisfies StreamEvent)}\n`;
    for (const control of entry.controls) control.end(line, () => control.destroy());
  }
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
