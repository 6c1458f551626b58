export type HttpResult = { statusCode: number; headers: Record<string, string>; body: string };

export function json(statusCode: number, body: unknown): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** A raw text body (CSV, JSON Lines). nosniff: a browser must not guess HTML into an export of user-typed text. */
export function text(statusCode: number, body: string, contentType: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { ...headers, 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body,
  };
}
