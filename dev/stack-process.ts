import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackInfo } from './stack-file.ts';
import { stopChild } from './stop-child.ts';

// Starts the local stack exactly as a user would (`dev/start.ts` in a child
// process) on ephemeral ports, data in memory, a throwaway home. Used by the
// test global setup and the benchmarks. LATCHKEY_TEST_LOGS=1 copies its output.
// With `home` (kept at stop) and without `inMemory`, a test can restart a stack on its own data.

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 150_000;

export type StackProcess = { info: StackInfo & { brokerRoleArn?: string }; pid: number; stop(): Promise<void> };

export interface StackProcessOptions {
  /** Used and kept at stop; omitted: a fresh temporary home, deleted at stop. */
  home?: string;
  /** Default 0 (ephemeral ports throughout). */
  port?: number;
  /** Default true. */
  inMemory?: boolean;
}

export async function startStackProcess(extraArgs: string[] = [], options: StackProcessOptions = {}): Promise<StackProcess> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'latchkey-stack-'));
  const args = ['--port', String(options.port ?? 0), ...(options.inMemory === false ? [] : ['--in-memory']), '--json', '--home', home];
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/start.ts', ...args, ...extraArgs], {
    cwd: repoRoot,
    // No stdin, as in CI. The stack stops itself if this process dies without stopping it.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LATCHKEY_EXIT_WITH_PARENT: '1' },
  });
  const stopAll = async () => {
    // A stack that does not stop in time is killed; its java then exits on its own (stdin EOF).
    await stopChild(child, 15_000);
    if (!options.home) rmSync(home, { recursive: true, force: true });
  };
  try {
    return { info: await waitForReady(child), pid: child.pid ?? 0, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export function waitForReady(child: ChildProcess): Promise<StackInfo> {
  const stderr: string[] = [];
  const verbose = process.env.LATCHKEY_TEST_LOGS === '1';
  // Both pipes are drained for the child's whole life, or it would block once one fills.
  child.stderr?.on('data', (chunk: Buffer) => {
    if (verbose) process.stderr.write(chunk);
    stderr.push(chunk.toString('utf8'));
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  const why = () => stderr.join('').split('\n').slice(-40).join('\n');
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`local stack not ready after ${READY_TIMEOUT_MS} ms:\n${why()}`))), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (verbose) process.stderr.write(chunk);
      if (settled) return;
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const info = parseReady(line);
        if (info) return settle(() => resolve(info));
      }
    });
    child.once('exit', (code, signal) => settle(() => reject(new Error(`local stack exited (${signal ?? code}) before it was ready:\n${why()}`))));
    child.once('error', (error) => settle(() => reject(error)));
  });
}

function parseReady(line: string): StackInfo | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<StackInfo>;
    return parsed.ready === true ? (parsed as StackInfo) : undefined;
  } catch {
    return undefined;
  }
}

