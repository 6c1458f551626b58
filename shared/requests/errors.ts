import { LatchkeyError } from '../kernel/errors.ts';

// Errors of requests beyond the kernel's. Like the kernel's they know nothing of HTTP (shared/http/error-mapper.ts maps them).

declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    break_glass_limit: 'requests';
  }
}

/** The person has opened as many break-glass grants today (UTC) as the policy allows; nothing was written. */
export class BreakGlassLimitError extends LatchkeyError {
  constructor(limit: number, day: string) {
    super('break_glass_limit', `You have opened ${limit} break-glass grant${limit === 1 ? '' : 's'} today (${day}, UTC), the most this target's policy allows; ask an approver instead.`, {
      details: { limit, day },
    });
  }
}
