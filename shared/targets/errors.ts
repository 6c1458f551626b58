import { LatchkeyError } from '../kernel/errors.ts';
import type { ChangeableTargetField } from './schemas.ts';
import type { StepUpRule } from './target.ts';

// Errors of targets. Like the kernel's they know nothing of HTTP (shared/http/error-mapper.ts maps them).

declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    target_change_breaks_open_grants: 'targets';
    step_up_required: 'targets';
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

/** What a policy's stepUp rule guards. */
export type StepUpAction = 'approve' | 'issue';

/**
 * The caller's sign-in is too old or lacks MFA for this action under the target's policy
 * (a 401: authenticate again, then retry). `details` say what to do: the OIDC parameters
 * a client sends to get a token that passes (`max_age`, `prompt=login`, `acr_values`).
 */
export class StepUpRequiredError extends LatchkeyError {
  constructor(action: StepUpAction, missing: ('recent_sign_in' | 'mfa')[], rule: StepUpRule) {
    const what = missing.map((m) => (m === 'mfa' ? 'with MFA' : `within the last ${rule.maxAgeMinutes} minutes`)).join(' and ');
    super('step_up_required', `The target's policy requires you to have signed in ${what} to ${action === 'approve' ? 'approve' : 'mint credentials'}; sign in again and retry.`, {
      details: {
        action,
        missing,
        ...(rule.maxAgeMinutes !== undefined ? { maxAgeMinutes: rule.maxAgeMinutes } : {}),
        mfa: rule.mfa,
        authorize: { prompt: 'login', ...(rule.maxAgeMinutes !== undefined ? { max_age: 0 } : {}), ...(rule.mfa ? { acr_values: 'mfa' } : {}) },
      },
    });
  }
}
