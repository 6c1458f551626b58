import type { Principal } from '../kernel/principal.ts';
import { StepUpRequiredError, type StepUpAction } from './errors.ts';
import type { Policy } from './target.ts';

// Step-up (docs/step-up.md): a policy may ask that the person approving, or minting
// credentials, signed in recently (OIDC `auth_time`) and/or with MFA (OIDC `amr`).
// The token is still the one API Gateway's authorizer verified; these claims only
// say how fresh and how strong the sign-in behind it was.

/**
 * `amr` values (RFC 8176) that show a second factor: `mfa` itself, and the
 * possession factors IdPs report beside a password (`otp`, `hwk` hardware key, `sc`
 * smart card). `pwd`, `kba` or biometrics alone do not count.
 */
export const mfaMethods: readonly string[] = ['mfa', 'otp', 'hwk', 'sc'];

/** How long a sign-in may be in the future of our clock (IdP clock skew) and still count as fresh. */
const clockSkewMs = 60_000;

/**
 * Refuses (401 step_up_required) a person whose sign-in is older than the rule allows or
 * lacks MFA the rule demands; does nothing without a rule. Services (SigV4-signed calls of a
 * role an admin registered) have no interactive sign-in to refresh: the rule is for people.
 */
export function requireStepUp(principal: Principal, policy: Policy, action: StepUpAction, now: Date): void {
  const rule = policy.stepUp?.[action];
  if (!rule || principal.kind !== 'user') return;
  const auth = principal.authentication;
  const missing: ('recent_sign_in' | 'mfa')[] = [];
  if (rule.maxAgeMinutes !== undefined) {
    const at = auth?.time?.getTime();
    const fresh = at !== undefined && at <= now.getTime() + clockSkewMs && now.getTime() - at <= rule.maxAgeMinutes * 60_000;
    if (!fresh) missing.push('recent_sign_in');
  }
  if (rule.mfa && !auth?.methods.some((m) => mfaMethods.includes(m))) missing.push('mfa');
  if (missing.length) throw new StepUpRequiredError(action, missing, rule);
}
