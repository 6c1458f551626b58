import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { Target, TunnelInfo } from './api.ts';
import { CliError, ExitCode } from './errors.ts';
import { repoRoot } from './paths.ts';
import { withoutSecrets } from './secret-env.ts';

// The port forward of an SSM session, run the way the AWS CLI runs it: the
// session-manager-plugin with the StartSession response in an environment
// variable named in argv 1 (plugin ≥ 1.2.497.0), so the TokenValue is never on
// a command line. Against the local stack the plugin is dev/bin's, which
// tunnels through the AWS stand-in.

export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';
const RESPONSE_ENV = 'AWS_SSM_START_SESSION_RESPONSE';
export const READY_TIMEOUT_MS = 30_000;

export interface RunningTunnel {
  localPort: number;
  /** Stops the plugin (SIGTERM, then SIGKILL) and resolves when it is gone. */
  close(): Promise<void>;
  exited: Promise<number | null>;
}

/** A free port on 127.0.0.1 for the tunnel to listen on. */
export async function freeLocalPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function pluginBinary(local: boolean, env: NodeJS.ProcessEnv): string {
  if (env.LATCHKEY_SESSION_MANAGER_PLUGIN) return env.LATCHKEY_SESSION_MANAGER_PLUGIN;
  return local ? join(repoRoot, 'dev', 'bin', 'session-manager-plugin') : 'session-manager-plugin';
}

/** The plugin's argv exactly as the AWS CLI passes it (shared/minting/connection-info.ts prints the same). */
export function pluginArgs(target: Pick<Target, 'region' | 'endpoint' | 'port' | 'bastionInstanceId'>, localPort: number): string[] {
  const parameters = {
    Target: target.bastionInstanceId,
    DocumentName: PORT_FORWARDING_DOCUMENT,
    Parameters: { host: [target.endpoint], portNumber: [String(target.port)], localPortNumber: [String(localPort)] },
  };
  return [RESPONSE_ENV, target.region, 'StartSession', '', JSON.stringify(parameters), `https://ssm.${target.region}.amazonaws.com`];
}

export async function startTunnel(options: {
  binary: string;
  target: Pick<Target, 'region' | 'endpoint' | 'port' | 'bastionInstanceId'>;
  session: TunnelInfo;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<RunningTunnel> {
  const { session } = options;
  const response = JSON.stringify({ SessionId: session.sessionId, TokenValue: session.tokenValue, StreamUrl: session.streamUrl });
  const env: NodeJS.ProcessEnv = { ...withoutSecrets(options.env), [RESPONSE_ENV]: response };
  let child: ChildProcess;
  try {
    child = spawn(options.binary, pluginArgs(options.target, session.localPortNumber), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } catch (error) {
    throw new CliError(`cannot start ${options.binary}: ${(error as Error).message}`, ExitCode.unavailable);
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(error.code === 'ENOENT' ? `${options.binary} is not installed (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html)` : `cannot start ${options.binary}: ${error.message}`, ExitCode.unavailable)),
    ),
  );
  spawnError.catch(() => undefined);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const earlyExit = exited.then((code) => {
    throw new CliError(`the tunnel stopped before it was ready (exit ${code}): ${clean(stderr || stdout, session.tokenValue)}`, ExitCode.unavailable);
  });
  earlyExit.catch(() => undefined);
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.race([answers(session.localPortNumber, options.timeoutMs ?? READY_TIMEOUT_MS), spawnError, earlyExit]);
  } catch (error) {
    await close();
    throw error;
  }
  return { localPort: session.localPortNumber, close, exited };
}

/** Resolves once a TCP connection to 127.0.0.1:port succeeds (and closes it). */
async function answers(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new CliError(`the tunnel did not answer on 127.0.0.1:${port} within ${Math.round(timeoutMs / 1000)} s`, ExitCode.unavailable);
}

/** What the plugin said, trimmed, and never with the session's token in it. */
const clean = (text: string, secret: string) => text.split(secret).join('[token]').trim().split('\n').slice(-3).join(' ');
