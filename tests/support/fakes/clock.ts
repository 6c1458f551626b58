import type { Clock, IdGenerator } from '#shared/kernel/ports';

export const T0 = '2030-01-15T09:00:00.000Z';
export const minutes = (n: number) => n * 60_000;

/** The one fake clock: stands still until a test sets or advances it. */
export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date | string = T0) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  /** Milliseconds, or a readable amount. */
  advance(by: number | { days?: number; hours?: number; minutes?: number; seconds?: number }): void {
    this.current +=
      typeof by === 'number' ? by : (((by.days ?? 0) * 24 + (by.hours ?? 0)) * 60 + (by.minutes ?? 0)) * 60_000 + (by.seconds ?? 0) * 1000;
  }
}

/** `req_0000000001`, `req_0000000002`, …: valid ids (`^[a-z]{2,4}_[0-9A-Za-z]{10,40}$`) in a predictable order. */
export class SequentialIds implements IdGenerator {
  private counter: number;
  constructor(start = 1) {
    this.counter = start - 1;
  }
  next(prefix: 'req' | 'tgt' | 'int'): string {
    this.counter++;
    return `${prefix}_${String(this.counter).padStart(10, '0')}`;
  }
}
