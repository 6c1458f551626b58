import type { IncomingMessage, ServerResponse } from 'node:http';

// The edge of the local API: reading a bounded body and writing a response
// whose headers and bytes are exactly what the mapping produced.

export interface LocalRequest {
  method: string;
  rawPath: string;
  rawQueryString: string;
  /** [name, value] in arrival order, names as the client sent them. */
  rawHeaders: [string, string][];
  body: Buffer;
  sourceIp: string;
  requestId: string;
  receivedAt: Date;
}

export interface LocalResponse {
  status: number;
  /** [name, value] pairs; a name may repeat (set-cookie). */
  headers: [string, string][];
  body: Buffer;
}

export const ONE_MIB = 1024 * 1024;
// Past this we stop draining and drop the connection instead of reading forever.
const DRAIN_CAP = 64 * ONE_MIB;

export type BodyResult = { ok: true; body: Buffer } | { ok: false };

/**
 * Reads the body, or reports it too large once it passes `limit`. A too-large
 * body is still drained (up to a cap) so the client can read the 413 instead
 * of seeing its upload reset mid-stream.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    let received = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) tooLarge = true;
      if (received > DRAIN_CAP) return req.destroy();
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false } : { ok: true, body: Buffer.concat(chunks) }));
    // Destroyed past the cap (or the client went away): no body to serve.
    req.on('close', () => resolve({ ok: false }));
    req.on('error', reject);
  });
}

export function jsonResponse(status: number, body: unknown, extra: [string, string][] = []): LocalResponse {
  return { status, headers: [['content-type', 'application/json'], ...extra], body: Buffer.from(JSON.stringify(body)) };
}

/** Writes the response; hop-by-hop headers from a handler are dropped, the edge's own `extra` ones kept. */
export function send(res: ServerResponse, response: LocalResponse, extra: [string, string][] = []): void {
  const own = response.headers.filter(([name]) => !/^(content-length|transfer-encoding|connection)$/i.test(name));
  res.statusCode = response.status;
  for (const [name, value] of [...own, ...extra]) res.appendHeader(name, value);
  res.setHeader('content-length', response.body.length);
  res.end(response.body);
}

export function pairsOf(rawHeaders: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  return pairs;
}

export function headerValue(rawHeaders: [string, string][], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return rawHeaders.find(([n]) => n.toLowerCase() === wanted)?.[1];
}

/** API Gateway's `$context.requestTime` format: `12/Mar/2020:19:03:58 +0000`. */
export function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
