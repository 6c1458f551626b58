import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, inject } from 'vitest';

// Drives the `latchkey` CLI as a person would: its own process (bin/latchkey.js,
// what `npx latchkey` runs), its own config dir per person, and the local stack
// found the way a developer's CLI finds it (LATCHKEY_HOME → stack.json). Login
// goes through the dev issuer's PKCE flow, its page filled in like a browser
// would; interactive runs go through tmux, a real pseudo-terminal.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(repoRoot, 'bin', 'latchkey.js');

export interface Person {
  name: string;
  home: string;
  env: Record<string, string>;
}

const homes: string[] = [];

/** Removes every person's home (their cached logins included); for afterAll. */
export function forgetPeople(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
}

export function person(name: string, extraEnv: Record<string, string> = {}): Person {
  const home = mkdtempSync(join(tmpdir(), `latchkey-cli-${name}-`));
  homes.push(home);
  return {
    name,
    home,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      LATCHKEY_HOME: inject('latchkeyHome'),
      LATCHKEY_POLL_INTERVAL_MS: '250',
      LANG: 'C.UTF-8',
      ...extraEnv,
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliRun>;
}

export function startCli(who: Person, args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: who.home, env: { ...who.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export const runCli = (who: Person, args: string[], env: Record<string, string> = {}): Promise<CliRun> => startCli(who, args, env).done;

/** `--json` output, after checking the command succeeded. */
export async function cliJson(who: Person, args: string[]): Promise<any> {
  const run = await runCli(who, ['--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

export interface Identity {
  user: string;
  tenant: string;
  roles: string[];
  groups?: string[];
  ttl?: number;
  /** Tick the dev issuer's second-factor box (the token's amr gets `mfa`). */
  mfa?: boolean;
}

/** What a browser does with the printed URL: open the page, fill in the form, follow the redirect. */
export async function signInAt(url: string, identity: Identity): Promise<Response> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name!, unescapeHtml(value!));
  form.set('user', identity.user);
  form.set('tenant', identity.tenant);
  form.set('roles', identity.roles.join(','));
  form.set('groups', (identity.groups ?? []).join(','));
  if (identity.ttl !== undefined) form.set('ttl', String(identity.ttl));
  if (identity.mfa) form.set('mfa', 'on');
  const action = new URL('/authorize', url);
  const posted = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  expect(posted.status, await posted.clone().text()).toBe(302);
  return fetch(posted.headers.get('location')!);
}

const unescapeHtml = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

/** `latchkey login --no-browser`, the URL it prints followed like a browser; resolves with its run. */
export async function login(who: Person, identity: Identity): Promise<CliRun> {
  const running = startCli(who, ['login', '--no-browser']);
  await signInWhenAsked(running, identity);
  const run = await running.done;
  expect(run.code, run.stderr).toBe(0);
  return run;
}

/** Waits for the sign-in URL a running command prints (login, or a step-up), signs in there like a browser; returns the URL. */
export async function signInWhenAsked(running: RunningCli, identity: Identity): Promise<URL> {
  // Polled by hand rather than expect.poll, which beforeAll cannot use.
  const printed = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/;
  const deadline = Date.now() + 30_000;
  while (!printed.test(running.stderr()) && running.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const url = printed.exec(running.stderr())?.[1];
  if (!url) throw new Error(`latchkey printed no sign-in URL: ${running.stderr()}`);
  const landed = await signInAt(url, identity);
  expect(landed.status).toBe(200);
  expect(await landed.text()).toContain('Signed in');
  return new URL(url);
}

export const sessionsFile = (who: Person) => join(who.env.XDG_CONFIG_HOME!, 'latchkey', 'sessions.json');
export const cachedSession = (who: Person) => Object.values(JSON.parse(readFileSync(sessionsFile(who), 'utf8')).sessions)[0] as { accessToken: string; refreshToken?: string; expiresAt: string };

/** Every process's command line on this machine, as `ps` shows them. */
export function allCommandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // gone meanwhile
    }
  }
  return lines;
}

/** The password in a libpq password file's one line (`host:port:db:user:password`, `:` and `\\` escaped). */
export function passfilePassword(path: string): string {
  const line = readFileSync(path, 'utf8').replace(/\n$/, '');
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') field += line[++i] ?? '';
    else if (line[i] === ':') (fields.push(field), (field = ''));
    else field += line[i];
  }
  fields.push(field);
  expect(fields, 'one line of five fields').toHaveLength(5);
  return fields[4]!;
}

/** Processes whose argv includes `needle`, with their environment (readable by their own user and root only). */
export function processesWith(needle: string): Array<{ pid: number; argv: string[]; env: Record<string, string> }> {
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (!argv.some((a) => a.includes(needle))) continue;
      const env = Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      found.push({ pid: Number(pid), argv, env });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * A command in a tmux pane (a real pseudo-terminal): keys typed in, the screen and its
 * whole scrollback read back, the exit status kept after the program ends.
 */
export class Terminal {
  private readonly socket: string;
  private statusFile: string | undefined;
  constructor(readonly name: string) {
    this.socket = `latchkey-cli-${process.pid}-${name}`;
  }

  /** Runs `args` of the CLI for `who` in a new 200×50 terminal. */
  start(who: Person, args: string[]): void {
    const script = join(who.home, `${this.name}.sh`);
    const exports = Object.entries({ ...who.env, TERM: 'xterm-256color', PAGER: 'cat', PSQL_PAGER: 'cat' })
      .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join('\n');
    this.statusFile = join(who.home, `${this.name}.status`);
    const command = `'${process.execPath}' '${CLI}' ${args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
    // bash, `trap : INT`: Ctrl-C is for the CLI; bash runs the trap only once its foreground command has ended
    // (dash would run it at once and move on), then writes the status. Children get the default action back.
    writeFileSync(script, `#!/bin/bash\n${exports}\ncd '${who.home}'\ntrap : INT\n${command}\necho $? > '${this.statusFile}.tmp' && mv '${this.statusFile}.tmp' '${this.statusFile}'\n`);
    chmodSync(script, 0o700);
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', '200', '-y', '50', script);
    this.tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
    this.tmux('set-option', '-t', this.name, 'history-limit', '10000');
  }

  type(text: string): void {
    // tmux reads an argument ending in ";" as a command separator unless it is escaped.
    this.tmux('send-keys', '-t', this.name, '-l', text.replace(/;$/, '\\;'));
    this.tmux('send-keys', '-t', this.name, 'Enter');
  }

  /** A key as tmux names it: C-c, Escape, … */
  key(name: string): void {
    this.tmux('send-keys', '-t', this.name, name);
  }

  /** The screen and everything scrolled off it, as text. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name).stdout;
  }

  /** The program's exit status once it has ended (128 + n for signal n), else undefined while it runs. */
  ended(): { status: number } | undefined {
    // Written by the wrapper script: tmux's own pane_dead_status is sometimes never filled in.
    if (!this.statusFile || !existsSync(this.statusFile)) return undefined;
    const text = readFileSync(this.statusFile, 'utf8').trim();
    return text === '' ? undefined : { status: Number(text) };
  }

  /** Waits for the program to end; on a timeout, the screen says why. */
  async exit(timeoutMs = 20_000): Promise<{ status: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.ended();
      if (end) return end;
      if (Date.now() > deadline) {
        const ps = spawnSync('ps', ['-eo', 'pid,ppid,stat,args', '--forest'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => /latchkey|psql|tunnel|session-manager/.test(l)).join('\n');
        throw new Error(`still running after ${timeoutMs} ms:\n${this.screen()}\n--- processes:\n${ps}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  close(): void {
    this.tmux('kill-server');
  }

  private tmux(...args: string[]): { stdout: string; status: number | null } {
    const run = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', HOME: tmpdir() } });
    return { stdout: run.stdout ?? '', status: run.status };
  }
}
