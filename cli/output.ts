// Human output by default, `--json` for scripts. Data goes to stdout, progress
// and errors to stderr, so `latchkey requests --json | jq` sees only JSON.
// Colours only on a terminal, never with NO_COLOR (https://no-color.org) or
// TERM=dumb, or with --no-color.

export interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;
export const colorsOn: Colors = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), cyan: ansi(36, 39) };
export const colorsOff: Colors = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  return flag && stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const width = (s: string) => [...s.replace(ANSI, '')].length;

/** Left-aligned columns, two spaces apart; the header dimmed when colours are on. */
export function table(headers: string[], rows: string[][], colors: Colors = colorsOff): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell))))
      .join('  ')
      .trimEnd();
  return [colors.dim(line(headers)), ...rows.map(line)].join('\n');
}

/** `key: value` lines with the keys aligned; undefined values are left out. */
export function fields(pairs: Array<[string, string | undefined]>, colors: Colors = colorsOff): string {
  const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  const keyWidth = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${colors.dim(`${k}:`.padEnd(keyWidth + 1))} ${v}`).join('\n');
}

export const statusColor = (status: string, colors: Colors): string => {
  if (status === 'approved') return colors.green(status);
  if (status === 'pending') return colors.yellow(status);
  if (status === 'denied' || status === 'revoked' || status === 'expired') return colors.red(status);
  return colors.dim(status);
};

export interface StatusLine {
  update(text: string): void;
  done(text: string): void;
  fail(text: string): void;
}

export interface Output {
  json: boolean;
  colors: Colors;
  /** A line of human output on stdout. */
  print(text: string): void;
  /** A value as JSON on stdout (for --json). */
  data(value: unknown): void;
  /** A note for the person on stderr (kept out of stdout's data). */
  note(text: string): void;
  /** A live status line on a terminal; one line per change otherwise. */
  status(initial: string): StatusLine;
}

export function createOutput(options: { json: boolean; color: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream }): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const colors = options.color ? colorsOn : colorsOff;
  return {
    json: options.json,
    colors,
    print: (text) => void stdout.write(`${text}\n`),
    data: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => void stderr.write(`${text}\n`),
    status(initial) {
      if (stderr.isTTY === true && !options.json) return liveLine(stderr, initial, colors);
      let last = '';
      const say = (t: string) => {
        if (t !== last) stderr.write(`${t}\n`);
        last = t;
      };
      say(initial);
      return { update: say, done: say, fail: say };
    },
  };
}

const FRAMES = ['◒', '◐', '◓', '◑'];

/**
 * One line on the terminal redrawn in place. Written here rather than with
 * @clack/prompts' spinner, which puts stdin in raw mode and exits 0 on Ctrl-C:
 * a person interrupting a wait must get its own message and exit 130.
 */
function liveLine(stream: NodeJS.WriteStream, initial: string, colors: Colors): StatusLine {
  let text = initial;
  let frame = 0;
  const draw = () => void stream.write(`\r\u001b[2K${colors.cyan(FRAMES[frame++ % FRAMES.length]!)}  ${text}`);
  draw();
  const timer = setInterval(draw, 120);
  timer.unref();
  const end = (mark: string, final: string) => {
    clearInterval(timer);
    stream.write(`\r\u001b[2K${mark}  ${final}\n`);
  };
  return {
    update: (t) => {
      text = t;
      draw();
    },
    done: (t) => end(colors.green('◇'), t),
    fail: (t) => end(colors.red('■'), t),
  };
}
