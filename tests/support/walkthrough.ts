import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// README.md's walkthrough as a script: every ```sh block under its heading, in
// order, run by bash from the repo root as a reader pastes them into one
// terminal. Nothing is interpreted here: the blocks' own variables at the top
// (API=…, LATCHKEY_HOME=…) are the only things changed, to point at the test
// stack instead of a default `npm start`.

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const WALKTHROUGH_HEADING = '## Walkthrough';
const MARKER = '<<<walkthrough block';

/** The ```sh blocks of the section whose heading starts with `heading`, up to the next `## `. */
export function shellBlocks(markdown: string, heading = WALKTHROUGH_HEADING): string[] {
  const start = markdown.split('\n').findIndex((line) => line.startsWith(heading));
  if (start < 0) throw new Error(`README.md has no section "${heading}…"`);
  const rest = markdown.split('\n').slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith('## '));
  const section = rest.slice(0, end < 0 ? undefined : end).join('\n');
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

export const readmeBlocks = (heading = WALKTHROUGH_HEADING) => shellBlocks(readFileSync(`${repoRoot}README.md`, 'utf8'), heading);

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Gives each variable the blocks assign at the start of a line (`NAME=…` or `export NAME=…`) this value
 * instead. Each must be assigned exactly once: a walkthrough that stops defining one would otherwise
 * run against the defaults (a developer's own stack on 4480), not the test stack.
 */
export function pointAt(blocks: string[], values: Record<string, string>): string[] {
  let out = blocks;
  for (const [name, value] of Object.entries(values)) {
    const assignment = new RegExp(`^((?:export )?${name}=)\\S+`, 'gm');
    const count = out.reduce((n, block) => n + (block.match(assignment)?.length ?? 0), 0);
    if (count !== 1) throw new Error(`the walkthrough assigns ${name} ${count} times at the start of a line; expected once`);
    out = out.map((block) => block.replace(assignment, (_, lhs: string) => `${lhs}${shellQuote(value)}`));
  }
  return out;
}

export interface ScriptRun {
  code: number | null;
  /** What each block printed on stdout, in order. */
  outputs: string[];
  stdout: string;
  stderr: string;
}

/** Runs the blocks as one bash script (state carries over, as in one terminal), with a clean environment. */
export function runBlocks(blocks: string[], options: { stdin?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ScriptRun> {
  const script = blocks.map((block, i) => `echo '${MARKER} ${i}>>>'\n${block}`).join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd: repoRoot,
      // Only what a fresh terminal has: no LATCHKEY_TOKEN, LATCHKEY_DB_TOKEN, PGPASSWORD or AWS keys from the test process.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 150_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    child.once('error', reject);
    child.once('close', (code) => {
      const outputs = stdout.split(new RegExp(`^${MARKER} \\d+>>>\\n`, 'm')).slice(1);
      resolve({ code, outputs, stdout, stderr });
    });
  });
}
