import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '#dev/proc-info';
import { waitForReady } from '#dev/stack-process';
import { claimHome, HomeInUseError, PID_FILE } from '#dev/stack-pid-file';
import type { StackInfo } from '#dev/stack-file';
import { freeStackPort, portIsFree, processesMentioning } from '../support/stack-ports.ts';

// `npm start` exactly as the README says, stopped the ways people stop it:
// SIGTERM or SIGINT to the npm process itself (npm → node → java), and a
// `kill -9` of the whole tree followed by another start on the same home.
// "Nothing left" is judged from /proc: no process whose command line names the home.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const homes: string[] = [];
const started: ChildProcess[] = [];

afterEach(() => {
  // A failed test must not leave a stack behind for the next one.
  for (const home of homes) for (const { pid } of processesMentioning(home)) kill(pid, 'SIGKILL');
});
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-stop-'));
  homes.push(home);
  return home;
}

async function npmStart(home: string, port: number): Promise<{ npm: ChildProcess; info: StackInfo }> {
  // Data on disk (no --in-memory), so DynamoDB Local's java names the home in its command line too.
  const npm = spawn('npm', ['start', '--', '--home', home, '--port', String(port), '--json', '--quiet'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LATCHKEY_EXIT_WITH_PARENT: undefined },
  });
  started.push(npm);
  return { npm, info: await waitForReady(npm) };
}

const portsOf = (info: StackInfo, port: number) => [port, port + 1, port + 5, ...(info.postgres ? [port + 6, port + 7] : []), Number(new URL(info.dynamodbEndpoint).port)];

async function expectNothingLeft(home: string, ports: number[]): Promise<void> {
  await expect.poll(() => processesMentioning(home).map((p) => p.command), { timeout: 10_000, interval: 200 }).toEqual([]);
  for (const port of ports) expect(await portIsFree(port), `port ${port}`).toBe(true);
}

describe('stopping npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to the npm process stops every child within seconds', async (signal) => {
    const home = newHome();
    const port = await freeStackPort();
    const { npm, info } = await npmStart(home, port);
    const tree = processesMentioning(home);
    // npm, the stack's node and java: the signal must get past npm to all of them.
    expect(tree.some((p) => p.command.includes('java'))).toBe(true);
    expect(tree.length).toBeGreaterThanOrEqual(3);

    const exited = once(npm, 'exit');
    const sentAt = Date.now();
    kill(npm.pid!, signal);
    await exited;
    await expectNothingLeft(home, portsOf(info, port));
    expect(Date.now() - sentAt).toBeLessThan(15_000);
    expect(readFileSyncOrUndefined(join(home, PID_FILE))).toBeUndefined();
  });

  it('starts again on the same home and ports after a kill -9 of the whole tree', async () => {
    const home = newHome();
    const port = await freeStackPort();
    const first = await npmStart(home, port);
    for (const { pid } of processesMentioning(home)) kill(pid, 'SIGKILL');
    await once(first.npm, 'exit');
    // The pid file of the dead stack is still there: the next start must see it is stale.
    expect(readFileSyncOrUndefined(join(home, PID_FILE))).toBeDefined();

    const second = await npmStart(home, port);
    expect(second.info.apiUrl).toBe(`http://127.0.0.1:${port}`);
    const exited = once(second.npm, 'exit');
    kill(second.npm.pid!, 'SIGTERM');
    await exited;
    await expectNothingLeft(home, portsOf(second.info, port));
  });
});

describe('the pid file of a stack that was killed', () => {
  it('leads the next start to stop the children it names, and only while they are the same processes', async () => {
    const home = newHome();
    // A child that, like a database server, does not die with its parent.
    const orphan = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const dead = spawn('true');
    await once(dead, 'exit');
    writeFileSync(join(home, PID_FILE), JSON.stringify({
      pid: dead.pid,
      children: [
        { name: 'postgres', pid: orphan.pid, startTime: processStartTime(orphan.pid!) },
        // Same pid as a live process, another start time: a recycled pid, never to be touched.
        { name: 'recycled', pid: process.pid, startTime: '1' },
      ],
    }));
    const exited = once(orphan, 'exit');

    expect(await claimHome(home)).toEqual([`postgres (pid ${orphan.pid})`]);
    await exited;
    expect(JSON.parse(readFileSync(join(home, PID_FILE), 'utf8'))).toMatchObject({ pid: process.pid, children: [] });
  });

  it('refuses a home that a live stack holds, naming its pid', async () => {
    const home = newHome();
    const live = spawn('sleep', ['300'], { stdio: 'ignore' });
    started.push(live);
    writeFileSync(join(home, PID_FILE), JSON.stringify({ pid: live.pid, startTime: processStartTime(live.pid!), children: [] }));
    await expect(claimHome(home)).rejects.toThrow(HomeInUseError);
    await expect(claimHome(home)).rejects.toThrow(`a Latchkey stack is already running from ${home} (pid ${live.pid}: sleep 300)`);
    live.kill('SIGKILL');
  });
});

function readFileSyncOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
