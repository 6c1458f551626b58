import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SigningCredential } from '../aws-standin/model.ts';
import { verifySigV4 } from '../aws-standin/sigv4.ts';
import { AwsJsonError, getSecretValue, sendEmail } from './aws-json.ts';
import { SlackWorkspace } from './slack.ts';

// The local stand-in for what notifications talk to, on one port: Slack's Web API (/api/<method>), Secrets Manager
// GetSecretValue and SES v2 SendEmail (both SigV4-checked against the AWS stand-in's credentials; mail lands in
// `<mailDir>/*.eml`), and a webhook receiver (/hooks/<name>). Tests read and steer it under /_notify/ (README.md).

export interface NotifyStandinOptions {
  port?: number;
  botToken: string;
  teamId: string;
  secrets: ReadonlyMap<string, string>;
  mailDir: string;
  region: string;
  credentialLookup: (accessKeyId: string) => SigningCredential | undefined;
}

export interface NotifyStandin {
  url: string;
  slack: SlackWorkspace;
  close(): Promise<void>;
}

type Hook = { received: { at: string; headers: Record<string, string>; body: string }[]; failNext: { times: number; status: number } };

const MAX_BODY = 1 << 20;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startNotifyStandin(options: NotifyStandinOptions): Promise<NotifyStandin> {
  const slack = new SlackWorkspace(options.botToken, options.teamId);
  const hooks = new Map<string, Hook>();
  const hook = (name: string) => {
    let h = hooks.get(name);
    if (!h) hooks.set(name, (h = { received: [], failNext: { times: 0, status: 500 } }));
    return h;
  };

  const signed = async (req: IncomingMessage, body: string, service: string) => {
    const auth = await verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, options.credentialLookup, { service, now: new Date() });
    if (!auth.ok) throw new AwsJsonError(403, auth.code === 'unknown-access-key' ? 'UnrecognizedClientException' : 'InvalidSignatureException', auth.message);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, { error: 'too large' });
    const path = url.pathname;

    if (path.startsWith('/api/') && req.method === 'POST') {
      const type = req.headers['content-type'] ?? '';
      const args = type.startsWith('application/json') ? (JSON.parse(body || '{}') as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
      const answer = slack.call(path.slice('/api/'.length), req.headers.authorization, args);
      return send(res, answer.status, answer.body);
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('secretsmanager.')) {
      try {
        await signed(req, body, 'secretsmanager');
        if (target !== 'secretsmanager.GetSecretValue') throw new AwsJsonError(400, 'UnknownOperationException', `${target} is not served by the notify stand-in`);
        return send(res, 200, getSecretValue(options.secrets, body, options.region), 'application/x-amz-json-1.1');
      } catch (error) {
        return awsError(res, error, 'application/x-amz-json-1.1');
      }
    }
    if (path === '/v2/email/outbound-emails' && req.method === 'POST') {
      try {
        await signed(req, body, 'ses');
        return send(res, 200, sendEmail(options.mailDir, body));
      } catch (error) {
        return awsError(res, error, 'application/json');
      }
    }
    const hookMatch = /^\/hooks\/([\w-]{1,64})$/.exec(path);
    if (hookMatch && req.method === 'POST') {
      const h = hook(hookMatch[1]!);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      h.received.push({ at: new Date().toISOString(), headers, body });
      if (h.failNext.times > 0) {
        h.failNext.times -= 1;
        return send(res, h.failNext.status, { error: 'failing on purpose' });
      }
      return send(res, 204, '');
    }
    return control(req, res, path, body, url);
  };

  const control = (req: IncomingMessage, res: ServerResponse, path: string, body: string, url: URL): void => {
    if (path === '/_notify/slack/messages' && req.method === 'GET') {
      const channel = url.searchParams.get('channel');
      return send(res, 200, { items: slack.messages.filter((m) => !channel || m.channel === channel) });
    }
    if (path === '/_notify/slack/ephemerals' && req.method === 'GET') return send(res, 200, { items: slack.ephemerals });
    if (path === '/_notify/slack/ims' && req.method === 'GET') return send(res, 200, Object.fromEntries(slack.ims));
    if (path === '/_notify/slack/fail' && req.method === 'POST') {
      const { method, times, error } = JSON.parse(body || '{}') as { method?: string; times?: number; error?: string };
      if (!method) return send(res, 400, { error: 'method is required' });
      slack.failNext.set(method, { times: times ?? 1, error: error ?? 'internal_error' });
      return send(res, 200, { ok: true });
    }
    const hookControl = /^\/_notify\/hooks\/([\w-]{1,64})(\/fail)?$/.exec(path);
    if (hookControl && !hookControl[2] && req.method === 'GET') return send(res, 200, { items: hook(hookControl[1]!).received });
    if (hookControl?.[2] && req.method === 'POST') {
      const { times, status } = JSON.parse(body || '{}') as { times?: number; status?: number };
      hook(hookControl[1]!).failNext = { times: times ?? 1, status: status ?? 500 };
      return send(res, 200, { ok: true });
    }
    if (path === '/_notify/mail' && req.method === 'GET') {
      let files: string[] = [];
      try {
        files = readdirSync(options.mailDir).filter((f) => f.endsWith('.eml'));
      } catch {
        files = [];
      }
      return send(res, 200, { items: files.map((f) => ({ file: f, text: readFileSync(join(options.mailDir, f), 'utf8') })) });
    }
    return send(res, 404, { error: 'not served by the notify stand-in' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`notify-standin: ${(error as Error).name}`);
      if (!res.headersSent) send(res, 500, { error: 'internal' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    slack,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function awsError(res: ServerResponse, error: unknown, contentType: string): void {
  if (error instanceof AwsJsonError) return send(res, error.status, { __type: error.code, message: error.message }, contentType);
  throw error;
}
