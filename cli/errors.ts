// Exit codes of `latchkey` (docs/cli.md lists them). `connect` exits with the
// database client's own code once the client has run.
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notSignedIn: 3,
  forbidden: 4,
  notFound: 5,
  refused: 6,
  notApproved: 7,
  timedOut: 8,
  unavailable: 9,
  logBroken: 10,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI explains in one line and ends with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The API answered `{ error, message, details? }` with a non-2xx status. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message, exitCodeForStatus(status), hintFor(status, code));
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401) return ExitCode.notSignedIn;
  if (status === 403) return ExitCode.forbidden;
  if (status === 404) return ExitCode.notFound;
  if (status === 409 || status === 422 || status === 429) return ExitCode.refused;
  if (status >= 400 && status < 500) return ExitCode.usage;
  return ExitCode.unavailable;
}

function hintFor(status: number, code: string): string | undefined {
  if (code === 'step_up_required') return 'sign in again (`latchkey login`; with LATCHKEY_TOKEN, get a fresh token) and retry';
  if (status === 401) return 'sign in again with `latchkey login` (or check LATCHKEY_TOKEN)';
  return undefined;
}
