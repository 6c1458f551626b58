import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SystemUser } from './system-user.ts';

// One database server as a child of the stack: output to a log file (a pipe
// nobody drains would block it), ready when a probe succeeds, and an error
// that quotes the log's tail when it exits first.

export interface ServerProcess {
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(spec: {
  name: string;
  command: string;
  args: string[];
  user: SystemUser;
  logFile: string;
  /** The signal that stops it promptly (PostgreSQL's SIGTERM waits for clients to leave; SIGINT does not). */
  stopSignal: NodeJS.Signals;
  probe: () => Promise<boolean>;
  readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  const log = openSync(spec.logFile, 'a');
  // setpriv execs the server as its user, with a parent-death signal: a stack that is
  // killed outright (SIGKILL, a crashed test run) takes its servers with it, not
  // leaving them to hold ports and temporary folders.
  const ids = ['--reuid', String(spec.user.uid), '--regid', String(spec.user.gid), '--clear-groups', '--pdeathsig', spec.stopSignal];
  const child = spawn('setpriv', [...ids, spec.command, ...spec.args], { stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  child.once('error', (error) => (exited = error.message));
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
  while (!exited) {
    if (await spec.probe().catch(() => false)) return { child, stop: () => stopServer(child, spec.stopSignal, 10_000) };
    if (Date.now() > deadline) {
      await stopServer(child, spec.stopSignal, 2_000);
      throw new Error(`${spec.name} not ready after ${spec.readyTimeoutMs ?? 30_000} ms:\n${tail(spec.logFile)}`);
    }
    await sleep(100);
  }
  throw new Error(`${spec.name} ${exited} before it was ready:\n${tail(spec.logFile)}`);
}

/**
 * A stack that was killed (SIGKILL, a crashed test run) leaves its server
 * running on the same data folder; the next start would fail on the lock. Stop
 * that one server, named by the pid file it wrote in our folder.
 */
export async function stopLeftover(pidFile: string, expectedCommand: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1 || !commandOf(pid)?.includes(expectedCommand)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && commandOf(pid); i += 1) await sleep(100);
}

/** Its own stop signal, then SIGKILL after `graceMs`; resolves once it has exited. */
async function stopServer(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
