import { describe, expect, it } from 'vitest';
import { assertPackedSize, durationSecondsFor } from '#shared/minting/minting';
import { PackedPolicyTooLargeError } from '#shared/minting/errors';

describe('durationSecondsFor', () => {
  const now = new Date('2030-01-15T09:00:00.000Z');
  const windowEndIn = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

  it.each([
    ['a window already over', -60, 900],
    ['1 second left', 1, 900],
    ['5 minutes left (the 15-minute STS floor)', 300, 900],
    ['exactly 900 s left', 900, 900],
    ['30 minutes left', 1800, 1800],
    ['59 min 59.5 s left (rounded down)', 3599.5, 3599],
    ['exactly an hour left', 3600, 3600],
    ['8 hours left (role chaining caps at an hour)', 8 * 3600, 3600],
  ])('clamps %s', (_, remaining, expected) => {
    expect(durationSecondsFor(windowEndIn(remaining), now)).toBe(expected);
  });
});

describe('assertPackedSize', () => {
  it.each([undefined, 0, 42, 90])('accepts %s percent', (size) => {
    expect(() => assertPackedSize(size)).not.toThrow();
  });

  it.each([91, 100, 130])('refuses %i percent with a named error', (size) => {
    expect(() => assertPackedSize(size)).toThrow(PackedPolicyTooLargeError);
    expect(() => assertPackedSize(size)).toThrow(`${size}%`);
  });
});
