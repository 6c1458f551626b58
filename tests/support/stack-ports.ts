import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';

// Ports and processes of stacks a test starts itself (tests/stack/).

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** An API port whose default neighbours (issuer +1, stand-in +5, PostgreSQL +6, MariaDB +7) are free too. */
export async function freeStackPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await Promise.all([0, 1, 5, 6, 7].map((offset) => bindable(port + offset)))).every(Boolean)) return port;
  }
  throw new Error('no free block of ports');
}

export const portIsFree = bindable;

/** Live processes whose command line mentions `text` (e.g. a stack's home), from /proc. */
export function processesMentioning(text: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (command.includes(text)) found.push({ pid, command });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
