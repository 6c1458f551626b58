import { createReadStream, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The console (console/) served on 127.0.0.1 the way CloudFront serves it in AWS
// (serverless.yml, ConsoleDistribution): the built assets with the same security
// headers, `/config.json` saying where the issuer is, and the API under `/api/`
// on the same origin (so the browser needs no CORS for it). Assets are rebuilt
// first when a source file is newer than the last build.

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_ROOT = join(repoRoot, 'console');
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');

export interface ConsoleConfig {
  issuer: string;
  clientId: string;
  /** Where the API is, relative to the console's origin. */
  apiBase: string;
}

/** The console's Content-Security-Policy: no inline script, no framing, API and issuer only. serverless.yml sends the same. */
export function consoleCsp(issuer: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${new URL(issuer).origin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Builds console/dist with Vite when it is missing or older than console/src, index.html or the client
 * it uses. Into a folder of its own first, then renamed: stacks starting side by side (test projects)
 * never serve a half-written build, and the last rename wins with a whole one.
 */
export async function ensureConsoleBuilt(): Promise<'built' | 'fresh'> {
  const built = join(CONSOLE_DIST, 'index.html');
  const sources = [join(CONSOLE_ROOT, 'src'), join(CONSOLE_ROOT, 'index.html'), join(CONSOLE_ROOT, 'vite.config.ts'), join(repoRoot, 'client')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return 'fresh';
  const { build } = await import('vite');
  const staging = join(CONSOLE_ROOT, `.dist-${process.pid}`);
  await build({ configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  rmSync(CONSOLE_DIST, { recursive: true, force: true });
  try {
    renameSync(staging, CONSOLE_DIST);
  } catch {
    // Another stack renamed its build in first: keep that one.
    rmSync(staging, { recursive: true, force: true });
  }
  return 'built';
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

export async function startConsoleServer(options: { port?: number; apiUrl: string; config: ConsoleConfig }): Promise<ConsoleServer> {
  const api = new URL(options.apiUrl);
  const security = {
    'content-security-policy': consoleCsp(options.config.issuer),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };

  const proxy = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const headers = { ...req.headers, host: api.host };
    const upstream = httpRequest({ host: api.hostname, port: api.port, method: req.method, path, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'the local API did not answer' }));
    });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname.startsWith('/api/')) return proxy(req, res, `${url.pathname.slice('/api'.length)}${url.search}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...security });
      return res.end();
    }
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...security });
      return res.end(JSON.stringify(options.config));
    }
    // Paths stay inside dist; anything unknown is the app (its routes live in the fragment).
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = join(CONSOLE_DIST, relative);
    if (!file.startsWith(CONSOLE_DIST + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(CONSOLE_DIST, 'index.html');
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...security,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
