import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isSameProcessAlive, processCommandLine, processStartTime } from './proc-info.ts';
import type { RegisteredChild } from './stop-child.ts';

// <home>/stack.pid.json: which process runs the stack from this home, and its
// children (ChildRegistry). A second `npm start` on the same home is refused
// while the first lives. After a `kill -9` the file is stale: the children it
// names that are still alive (the same pid AND the same start time, so a
// recycled pid is never touched) are stopped before anything new starts.

export const PID_FILE = 'stack.pid.json';

const entry = z.object({ name: z.string(), pid: z.number().int().positive(), startTime: z.string().optional() });
const fileSchema = z.object({ pid: z.number().int().positive(), startTime: z.string().optional(), children: z.array(entry) });
type PidFile = z.infer<typeof fileSchema>;

export class HomeInUseError extends Error {}

function read(home: string): PidFile | undefined {
  try {
    return fileSchema.parse(JSON.parse(readFileSync(join(home, PID_FILE), 'utf8')));
  } catch {
    // Absent, or not ours to understand: nothing to recover from it.
    return undefined;
  }
}

function write(home: string, children: RegisteredChild[]): void {
  const doc: PidFile = {
    pid: process.pid,
    ...withStartTime(process.pid),
    children: children.map((c) => ({ ...c, ...withStartTime(c.pid) })),
  };
  writeFileSync(join(home, PID_FILE), `${JSON.stringify(doc)}\n`, { mode: 0o600 });
}

const withStartTime = (pid: number): { startTime?: string } => {
  const startTime = processStartTime(pid);
  return startTime === undefined ? {} : { startTime };
};

/**
 * Takes the home for this process: refuses if a live stack holds it, stops
 * the leftovers of a dead one. Returns what was stopped, for the log.
 */
export async function claimHome(home: string): Promise<string[]> {
  const previous = read(home);
  const stopped: string[] = [];
  if (previous && previous.pid !== process.pid && isSameProcessAlive(previous.pid, previous.startTime)) {
    throw new HomeInUseError(
      `a Latchkey stack is already running from ${home} (pid ${previous.pid}: ${processCommandLine(previous.pid) ?? '?'}); ` +
        `stop it (kill ${previous.pid}) or start with another --home`,
    );
  }
  for (const child of previous?.children ?? []) {
    if (!isSameProcessAlive(child.pid, child.startTime)) continue;
    await stopOrphan(child.pid, child.startTime);
    stopped.push(`${child.name} (pid ${child.pid})`);
  }
  write(home, []);
  return stopped;
}

/** Keeps the pid file's list of children current; call on every ChildRegistry change. */
export function recordChildren(home: string, children: RegisteredChild[]): void {
  write(home, children);
}

/** Removes the pid file if it is still this process's. */
export function releaseHome(home: string): void {
  if (read(home)?.pid === process.pid) rmSync(join(home, PID_FILE), { force: true });
}

async function stopOrphan(pid: number, startTime: string | undefined): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let waited = 0; waited < 3_000; waited += 100) {
    if (!isSameProcessAlive(pid, startTime)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  signal('SIGKILL');
}
