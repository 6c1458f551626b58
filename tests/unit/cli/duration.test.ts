import { describe, expect, it } from 'vitest';
import { formatMinutes, formatRemaining, parseDuration, parseInstant } from '../../../cli/duration.ts';
import { CliError, ExitCode } from '../../../cli/errors.ts';

describe('parseDuration', () => {
  it.each([
    ['1h', 60],
    ['30m', 30],
    ['1h30m', 90],
    ['2d', 2880],
    ['1d2h3m', 1563],
    [' 45m ', 45],
  ])('%s is %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  it.each(['', '60', '1', 'h', '1x', '30s', '1.5h', '-1h', '0m', '0h0m', '1m1h', 'one hour'])('refuses "%s" as a usage error', (text) => {
    const attempt = () => parseDuration(text);
    expect(attempt).toThrow(CliError);
    try {
      attempt();
    } catch (error) {
      expect((error as CliError).exitCode).toBe(ExitCode.usage);
    }
  });
});

describe('formatMinutes and formatRemaining', () => {
  it.each([
    [45, '45m'],
    [60, '1h'],
    [90, '1h30m'],
    [1500, '1d1h'],
    [0, '0m'],
  ])('%i minutes read %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });

  it('counts down to the minute, then seconds, then "ended"', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    expect(formatRemaining('2026-12-04T11:30:30Z', now)).toBe('1h30m');
    expect(formatRemaining('2026-12-04T10:00:42Z', now)).toBe('42s');
    expect(formatRemaining('2026-12-04T09:59:59Z', now)).toBe('ended');
  });
});

describe('parseInstant', () => {
  const now = new Date('2026-12-04T10:00:00Z');
  it('takes ISO 8601 with an offset, normalized to UTC', () => {
    expect(parseInstant('2026-12-01T12:00:00+01:00', now)).toBe('2026-12-01T11:00:00.000Z');
  });
  it('takes a duration as "that long ago"', () => {
    expect(parseInstant('24h', now)).toBe('2026-12-03T10:00:00.000Z');
    expect(parseInstant('7d', now)).toBe('2026-11-27T10:00:00.000Z');
  });
  it.each(['yesterday', '12:00', '2026-13-45T00:00:00Z'])('refuses "%s"', (text) => {
    expect(() => parseInstant(text, now)).toThrow(/is not a time/);
  });
});
