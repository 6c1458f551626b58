import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

// Runs dev/tunnel.ts as its own process, as a developer would (`npm run
// tunnel`), and the TCP pieces around it: an echo server standing for the
// database behind the bastion, and a client that talks through the tunnel.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface TunnelProcess {
  child: ChildProcess;
  /** Resolves when the tunnel listens ("Waiting for connections..."), rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; stderr: string }>;
}

export function spawnTunnel(args: string[], env: Record<string, string | undefined> = {}): TunnelProcess {
  return watch(spawn(process.execPath, ['--import', 'tsx', 'dev/tunnel.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LATCHKEY_SSM_TOKEN: undefined, ...env },
  }));
}

/** Runs a command line as printed by Latchkey (its `pluginCommand`), with dev/bin's session-manager-plugin first on PATH. */
export function spawnPrinted(command: string): TunnelProcess {
  return watch(spawn('sh', ['-c', command], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LATCHKEY_SSM_TOKEN: undefined, PATH: `${repoRoot}dev/bin:${process.env.PATH ?? ''}` },
  }));
}

function watch(child: ChildProcess): TunnelProcess {
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Waiting for connections...')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`tunnel exited (${code}) before listening: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

/** An echo server on 127.0.0.1 that remembers its sockets, so a test can see them cut. */
export async function echoServer(): Promise<{ port: number; sockets: Set<Socket>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    sockets,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export interface Conversation {
  socket: Socket;
  /** Sends `text` and resolves with what came back once as many bytes arrived. */
  say(text: string): Promise<string>;
  closed: Promise<void>;
}

export async function talk(port: number): Promise<Conversation> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  const closed = once(socket, 'close').then(() => undefined);
  return {
    socket,
    closed,
    say: (text) => new Promise((resolve, reject) => {
      let got = '';
      const onData = (chunk: Buffer) => {
        got += chunk.toString('utf8');
        if (got.length >= text.length) (socket.off('data', onData), resolve(got));
      };
      socket.on('data', onData);
      void closed.then(() => reject(new Error(`closed after "${got}"`)));
      socket.write(text);
    }),
  };
}

/** Whether a TCP connect to 127.0.0.1:port succeeds. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
