import { parseRoleArn } from './arn.ts';
import { authorize, principalContext } from './authorize.ts';
import { AwsError, notAuthorizedMessage } from './aws-error.ts';
import type { Principal, Role, RoleSessionPrincipal } from './model.ts';
import { evaluate } from './policy.ts';
import { contextOf, type ContextValue } from './policy-match.ts';
import type { PolicyPrincipal } from './policy-schema.ts';
import type { StandinState } from './state.ts';
import { validationError, type AssumeRoleInput } from './sts-validation.ts';

// AssumeRole as STS decides it: the role's trust policy must allow the caller
// for sts:AssumeRole and, when used, sts:TagSession and sts:SetSourceIdentity;
// the caller's own identity (and session) policy must allow the same actions.

export interface AssumeRoleOutcome {
  session: RoleSessionPrincipal;
  /** Percent of the packed-policy budget used; only when a policy or tags were sent. */
  packedPolicySize?: number;
}

/** Does a trust policy's Principal element name this caller? */
export function principalMatcher(caller: Principal): (principal: PolicyPrincipal) => boolean {
  const matchesEntry = (entry: string): boolean => {
    if (entry === '*' || entry === caller.account || entry === `arn:aws:iam::${caller.account}:root`) return true;
    if (entry === caller.arn) return true;
    if (caller.kind !== 'role-session') return false;
    // A role session is named in trust policies by its role's ARN (any path).
    const role = parseRoleArn(entry);
    return role?.account === caller.account && role.name === caller.roleName;
  };
  return (principal) => {
    if (principal === '*') return true;
    const aws = principal.AWS;
    return aws !== undefined && (Array.isArray(aws) ? aws : [aws]).some(matchesEntry);
  };
}

/**
 * An approximation of STS's packed size: the session policy compresses to
 * about half its compact JSON, tags hardly at all, against a 2048-byte budget.
 * Real AWS figures differ; what matters is that a large policy plus long tags
 * fails with PackedPolicyTooLarge instead of passing silently.
 */
export function packedPolicyPercent(input: Pick<AssumeRoleInput, 'policy' | 'tags' | 'transitiveTagKeys'>): number {
  const policyBytes = input.policy ? Math.ceil(JSON.stringify(input.policy).length * 0.5) : 0;
  const tagBytes = input.tags.reduce((sum, t) => sum + Buffer.byteLength(t.key) + Buffer.byteLength(t.value) + 2, 0);
  const transitiveBytes = input.transitiveTagKeys.reduce((sum, k) => sum + Buffer.byteLength(k) + 1, 0);
  return Math.ceil(((policyBytes + tagBytes + transitiveBytes) / 2048) * 100);
}

function requestContext(input: AssumeRoleInput): Record<string, ContextValue | undefined> {
  const context: Record<string, ContextValue | undefined> = {
    'sts:ExternalId': input.externalId,
    'sts:RoleSessionName': input.roleSessionName,
    'sts:SourceIdentity': input.sourceIdentity,
    'aws:TagKeys': input.tags.length > 0 ? input.tags.map((t) => t.key) : undefined,
    'sts:TransitiveTagKeys': input.transitiveTagKeys.length > 0 ? input.transitiveTagKeys : undefined,
  };
  for (const tag of input.tags) context[`aws:RequestTag/${tag.key}`] = tag.value;
  return context;
}

function requiredActions(input: AssumeRoleInput): string[] {
  const actions = ['sts:AssumeRole'];
  if (input.tags.length > 0 || input.transitiveTagKeys.length > 0) actions.push('sts:TagSession');
  if (input.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  return actions;
}

function checkTrust(state: StandinState, caller: Principal, role: Role | undefined, input: AssumeRoleInput, now: Date): Role {
  const denied = (action: string) => new AwsError('AccessDenied', notAuthorizedMessage(caller.arn, action, input.roleArn), 403);
  // A missing role is refused with the same words as an untrusted one, as STS does.
  if (!role) throw denied('sts:AssumeRole');
  const extra = requestContext(input);
  const context = contextOf({ ...principalContext(caller, state, now), ...extra });
  for (const action of requiredActions(input)) {
    const trusted = evaluate([role.trustPolicy], { action, resource: role.arn, context, principalMatches: principalMatcher(caller) });
    if (trusted !== 'allow') throw denied(action);
    if (!authorize(state, caller, action, [{ arn: input.roleArn, context: extra }], now).allowed) throw denied(action);
  }
  return role;
}

function checkDuration(caller: Principal, role: Role, requested: number): void {
  if (caller.kind === 'role-session' && requested > 3600) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (requested > role.maxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
}

export function assumeRole(state: StandinState, caller: Principal, input: AssumeRoleInput, now: Date): AssumeRoleOutcome {
  const role = checkTrust(state, caller, state.findRole(input.roleArn), input, now);
  const durationSeconds = input.durationSeconds ?? 3600;
  checkDuration(caller, role, durationSeconds);

  const sendsPacked = input.policy !== undefined || input.tags.length > 0 || input.transitiveTagKeys.length > 0;
  const packedPolicySize = sendsPacked ? packedPolicyPercent(input) : undefined;
  if (packedPolicySize !== undefined && packedPolicySize > 100) {
    throw new AwsError('PackedPolicyTooLarge', `Packed policy consumes ${packedPolicySize}% of allotted space, please use smaller policy.`, 400);
  }

  // A source identity, once set, follows the session through role chaining.
  const inherited = caller.kind === 'role-session' ? caller.sourceIdentity : undefined;
  const session = state.issueCredentialsFor(role.arn, {
    durationSeconds,
    sessionName: input.roleSessionName,
    tags: Object.fromEntries(input.tags.map((t) => [t.key, t.value])),
    transitiveTagKeys: input.transitiveTagKeys,
    ...(input.policy !== undefined && { sessionPolicy: input.policy }),
    ...((input.sourceIdentity ?? inherited) !== undefined && { sourceIdentity: input.sourceIdentity ?? inherited }),
  });
  return packedPolicySize === undefined ? { session } : { session, packedPolicySize };
}
