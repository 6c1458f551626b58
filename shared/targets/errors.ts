import { LatchkeyError } from '../kernel/errors.ts';
import type { ChangeableTargetField } from './schemas.ts';

// Errors of targets. Like the kernel's they know nothing of HTTP (shared/http/error-mapper.ts maps them).

declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    target_change_breaks_open_grants: 'targets';
  }
}

/** An open grant the change would break, and which of the changed fields it relies on. */
export type AffectedGrant = { requestId: string; databaseUser: string; windowEnd: string; fields: ChangeableTargetField[] };

/** The change would take away what an open grant's credentials name; nothing was written. */
export class TargetChangeBreaksOpenGrantsError extends LatchkeyError {
  constructor(readonly affected: AffectedGrant[]) {
    const ids = affected.map((g) => g.requestId);
    const named = ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
    super(
      'target_change_breaks_open_grants',
      `The change would break ${ids.length} open grant${ids.length === 1 ? '' : 's'} (${named}); revoke ${ids.length === 1 ? 'it' : 'them'}, wait for the window to end, or send "force": true.`,
      { details: { requestIds: ids, affected } },
    );
  }
}
