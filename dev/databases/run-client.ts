import { spawn } from 'node:child_process';

// Runs a database client (psql, mariadb) with SQL or a password only on stdin
// or in the environment, never in argv, and resolves with its output or
// rejects with its own error text.

export interface ClientRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runClient(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      timeout: options.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    // A client that exits before reading its input (it could not connect) says why in its exit code and stderr.
    child.stdin.on('error', () => undefined);
    child.once('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(options.input ?? '');
  });
}

/** Like runClient, but a non-zero exit is an error carrying the client's stderr. */
export async function runClientOk(command: string, args: string[], options: Parameters<typeof runClient>[2] = {}): Promise<string> {
  const run = await runClient(command, args, options);
  if (run.code !== 0) throw new Error(`${command} exited ${run.code}: ${run.stderr.trim() || run.stdout.trim()}`);
  return run.stdout;
}
