import { Agent, request } from 'node:http';

// A byte-exact HTTP client for fuzzing the local API. `fetch` normalizes what a
// fuzzer wants to send as-is: it resolves `..` and `%2e%2e` segments, re-encodes
// the path, and sets its own content type. Here the path and query go out exactly
// as given (already percent-encoded, printable ASCII), with any content type and
// any body bytes.

export type RawRequest = {
  method: string;
  /** Percent-encoded path, sent verbatim. */
  path: string;
  /** Percent-encoded query string without `?`; empty for none. */
  query: string;
  headers: Record<string, string>;
  body?: Buffer;
};

export type RawResponse = { status: number; headers: Record<string, string>; text: string; json: unknown };

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function sendRaw(baseUrl: string, r: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.query === '' ? r.path : `${r.path}?${r.query}`,
        headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
          resolve({ status: res.statusCode ?? 0, headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Percent-encodes every byte of the UTF-8 form except RFC 3986 unreserved characters (lone surrogates become U+FFFD). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
