import { describe, expect, it } from 'vitest';
import { ApiError, CliError, ExitCode, exitCodeForStatus } from '../../../cli/errors.ts';
import { formatError } from '../../../cli/main.ts';
import { colorsOff, colorsOn, fields, table, useColor } from '../../../cli/output.ts';

describe('colours', () => {
  it('only on a terminal, and never with NO_COLOR, TERM=dumb or --no-color', () => {
    expect(useColor({ isTTY: true }, {}, true)).toBe(true);
    expect(useColor({ isTTY: false }, {}, true)).toBe(false);
    expect(useColor({}, {}, true)).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' }, true)).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' }, true)).toBe(true);
    expect(useColor({ isTTY: true }, { TERM: 'dumb' }, true)).toBe(false);
    expect(useColor({ isTTY: true }, {}, false)).toBe(false);
  });
});

describe('table', () => {
  it('aligns columns two spaces apart and trims trailing space', () => {
    expect(table(['ID', 'STATUS', 'REASON'], [['req_1', 'pending', 'INC-1'], ['req_22', 'approved', '']])).toBe(
      ['ID      STATUS    REASON', 'req_1   pending   INC-1', 'req_22  approved'].join('\n'),
    );
  });

  it('measures cells without their colour codes', () => {
    const coloured = table(['A', 'B'], [[colorsOn.green('ok'), 'x'], ['longer', 'y']], colorsOn);
    const plain = coloured.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toBe(['A       B', 'ok      x', 'longer  y'].join('\n'));
    expect(coloured).toContain('\u001b[32mok\u001b[39m');
  });

  it('uses no escape codes when colours are off', () => {
    expect(table(['A'], [[colorsOff.red('x')]], colorsOff)).not.toContain('\u001b');
  });
});

describe('fields', () => {
  it('aligns keys and leaves out what is empty', () => {
    expect(fields([['id', 'alice'], ['tenant', 'acme'], ['groups', undefined], ['note', '']])).toBe('id:     alice\ntenant: acme');
  });
});

describe('errors', () => {
  it('map API statuses to the documented exit codes', () => {
    expect([400, 401, 403, 404, 409, 413, 415, 422, 500, 502, 503].map(exitCodeForStatus)).toEqual([
      ExitCode.usage, ExitCode.notSignedIn, ExitCode.forbidden, ExitCode.notFound, ExitCode.refused, ExitCode.usage, ExitCode.usage,
      ExitCode.refused, ExitCode.unavailable, ExitCode.unavailable, ExitCode.unavailable,
    ]);
  });

  it("show the API's error and message plainly, with the fields that failed", () => {
    const error = new ApiError(400, 'validation_failed', 'The request body is not valid.', [{ path: ['durationMinutes'], message: 'Too big: expected number to be <=10080' }]);
    expect(formatError(error)).toBe('latchkey: The request body is not valid. (validation_failed, HTTP 400)\n  durationMinutes: Too big: expected number to be <=10080');
    expect(formatError(new ApiError(422, 'policy_violation', 'The target allows at most 240 minutes.', { maxDurationMinutes: 240 }))).toBe(
      'latchkey: The target allows at most 240 minutes. (policy_violation, HTTP 422)\n  maxDurationMinutes: 240',
    );
    expect(formatError(new ApiError(401, 'unauthorized', 'Unauthorized'))).toContain('latchkey login');
    expect(formatError(new CliError('no target "x" in your tenant', ExitCode.notFound, 'targets you can see: a, b'))).toBe('latchkey: no target "x" in your tenant\n  targets you can see: a, b');
  });
});

describe('export progress', () => {
  it('counts CSV records, not lines: a quoted field may hold a newline', async () => {
    const { countEvents } = await import('../../../cli/audit.ts');
    expect(countEvents('seq,reason\n1,"two\nlines"\n2,plain\n', true)).toBe(2);
    expect(countEvents('3,"a ""quoted"" word"\n4,x\n', false)).toBe(2);
    expect(countEvents('{"seq":1}\n{"seq":2}\n', false)).toBe(2);
    expect(countEvents('', false)).toBe(0);
  });
});
