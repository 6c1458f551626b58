import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface RegisteredChild {
  name: string;
  pid: number;
}

interface Entry extends RegisteredChild {
  child: ChildProcess;
  graceMs: number;
}

/**
 * Every child process of the local stack (DynamoDB Local's java today; the
 * database servers tomorrow). One registry, so that every way the stack stops
 * (a signal, a failed start, the parent gone) stops every child, and so that
 * the pid file names them all: a start after a `kill -9` of the stack finds
 * the children that outlived it (a database server does not die with its parent).
 */
export class ChildRegistry {
  private readonly entries: Entry[] = [];
  private readonly listeners: ((children: RegisteredChild[]) => void)[] = [];

  constructor() {
    // Last resort for paths that skip stopAll() (process.exit from elsewhere): a synchronous kill.
    process.once('exit', () => this.killAllNow());
  }

  /** Registers a spawned child; it leaves the registry by itself when it exits. */
  add(name: string, child: ChildProcess, options: { graceMs?: number } = {}): ChildProcess {
    if (child.pid === undefined) return child; // spawn failed: its 'error' event says why
    const entry: Entry = { name, pid: child.pid, child, graceMs: options.graceMs ?? 5_000 };
    this.entries.push(entry);
    child.once('exit', () => {
      const at = this.entries.indexOf(entry);
      if (at >= 0) this.entries.splice(at, 1);
      this.changed();
    });
    this.changed();
    return child;
  }

  list(): RegisteredChild[] {
    return this.entries.map(({ name, pid }) => ({ name, pid }));
  }

  onChange(listener: (children: RegisteredChild[]) => void): void {
    this.listeners.push(listener);
  }

  /** Stops every child, newest first (a later child may depend on an earlier one), each SIGTERM then SIGKILL. */
  async stopAll(): Promise<void> {
    for (const entry of [...this.entries].reverse()) await stopChild(entry.child, entry.graceMs);
  }

  killAllNow(): void {
    for (const entry of this.entries) entry.child.kill('SIGKILL');
  }

  private changed(): void {
    const children = this.list();
    for (const listener of this.listeners) listener(children);
  }
}

/** The stack's registry: whatever dev/start.ts starts as a child process goes here. */
export const stackChildren = new ChildRegistry();
