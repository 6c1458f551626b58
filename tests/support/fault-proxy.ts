import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Test-only: an HTTP proxy in front of DynamoDB Local that fails chosen calls the
// way DynamoDB does, so the real adapters meet real failures on the wire (not a
// mocked client). Point a DynamoDB client's endpoint at `url`. Each rule names an
// operation (X-Amz-Target, e.g. TransactWriteItems) and fails its matching calls
// from the `from`-th one on (1-based), `times` of them (default: all later ones):
//   throttle      400 ProvisionedThroughputExceededException (the SDK retries it)
//   server-error  500 InternalServerError (the SDK retries it)
//   drop          the connection is cut before any answer: DynamoDB unreachable mid-call
//   hold          no answer until release(), then cut: a call in flight when the caller dies
// A failed call never reaches DynamoDB Local, so it changed nothing there.

export type Fault = 'throttle' | 'server-error' | 'drop' | 'hold';
export type FaultRule = { operation: string; fault: Fault; from?: number; times?: number };

export interface FaultProxy {
  url: string;
  /** Every operation seen, in order, failed or passed on. */
  readonly calls: string[];
  fail(rule: FaultRule): void;
  clear(): void;
  /** Resolves when a held call has arrived (the caller is now "between" its steps). */
  held(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

const DYNAMO_ERROR = 'com.amazonaws.dynamodb.v20120810#';

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const calls: string[] = [];
  let rules: (FaultRule & { seen: number; used: number })[] = [];
  let heldResponses: ServerResponse[] = [];
  let onHeld: (() => void)[] = [];

  const faultFor = (operation: string): Fault | undefined => {
    for (const rule of rules) {
      if (rule.operation !== operation) continue;
      rule.seen += 1;
      if (rule.seen >= (rule.from ?? 1) && rule.used < (rule.times ?? Infinity)) {
        rule.used += 1;
        return rule.fault;
      }
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      calls.push(operation);
      const fault = faultFor(operation);
      const error = (status: number, type: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${calls.length}` });
        res.end(JSON.stringify({ __type: `${DYNAMO_ERROR}${type}`, message }));
      };
      if (fault === 'throttle') return error(400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');
      if (fault === 'server-error') return error(500, 'InternalServerError', 'Internal server error');
      if (fault === 'drop') return res.socket?.destroy();
      if (fault === 'hold') {
        heldResponses.push(res);
        for (const resolve of onHeld.splice(0)) resolve();
        return;
      }
      forward(req, Buffer.concat(chunks), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => {
    for (const res of heldResponses.splice(0)) res.socket?.destroy();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    fail: (rule) => rules.push({ ...rule, seen: 0, used: 0 }),
    clear: () => {
      rules = [];
    },
    held: () => (heldResponses.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => onHeld.push(resolve))),
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        onHeld = [];
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
