import { CliError, ExitCode } from './errors.ts';

// Durations as people type them: `1h`, `30m`, `1h30m`, `2d`. The API counts
// whole minutes; a bare number is refused rather than guessed at.

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === '') throw new CliError(`"${text}" is not a duration: write it like 1h, 30m, 1h30m or 2d`, ExitCode.usage);
  const [, days = '0', hours = '0', minutes = '0'] = match;
  const total = Number(days) * 24 * 60 + Number(hours) * 60 + Number(minutes);
  if (total <= 0) throw new CliError(`"${text}" is not a duration longer than zero`, ExitCode.usage);
  return total;
}

/** 90 → "1h30m", 60 → "1h", 45 → "45m", 1500 → "1d1h". */
export function formatMinutes(total: number): string {
  const days = Math.floor(total / (24 * 60));
  const hours = Math.floor((total % (24 * 60)) / 60);
  const minutes = total % 60;
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''].join('');
  return parts || '0m';
}

/** Time left until `until`, to the minute (under a minute: seconds). */
export function formatRemaining(until: string | Date, now: Date = new Date()): string {
  const ms = new Date(until).getTime() - now.getTime();
  if (ms <= 0) return 'ended';
  if (ms < 60_000) return `${Math.ceil(ms / 1000)}s`;
  return formatMinutes(Math.floor(ms / 60_000));
}

/**
 * An instant for the audit filters: ISO 8601 as given, or a duration meaning
 * "that long ago" (`--from 24h`).
 */
export function parseInstant(text: string, now: Date = new Date()): string {
  if (DURATION.test(text.trim()) && text.trim() !== '') return new Date(now.getTime() - parseDuration(text) * 60_000).toISOString();
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) {
    throw new CliError(`"${text}" is not a time: give an ISO 8601 instant (2026-12-01T00:00:00Z) or a duration ago (24h, 7d)`, ExitCode.usage);
  }
  return new Date(at).toISOString();
}
