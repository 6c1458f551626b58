import type { Principal, Tags } from './model.ts';
import { evaluate } from './policy.ts';
import { contextOf, type ContextValue } from './policy-match.ts';
import type { PolicyDocument } from './policy-schema.ts';
import type { StandinState } from './state.ts';

// Identity-based authorization of a caller: the role's permission policies
// AND the session policy must allow, and an explicit deny in either wins.
// This is what makes Latchkey's narrowing session policy (and its
// DateLessThan aws:CurrentTime) observable locally.

const ALLOW_ALL: PolicyDocument = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } };

/** AWS formats aws:CurrentTime without milliseconds. */
export const awsTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The global condition keys that describe the caller. */
export function principalContext(principal: Principal, state: StandinState, now: Date): Record<string, ContextValue | undefined> {
  const keys: Record<string, ContextValue | undefined> = {
    'aws:CurrentTime': awsTime(now),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:userid': principal.userId,
    'aws:PrincipalAccount': principal.account,
  };
  if (principal.kind === 'user') {
    Object.assign(keys, { 'aws:username': principal.userName, 'aws:PrincipalArn': principal.arn, 'aws:PrincipalType': 'User' });
  } else {
    Object.assign(keys, {
      'aws:PrincipalArn': state.findRole(principal.roleArn)?.arn ?? principal.roleArn,
      'aws:PrincipalType': 'AssumedRole',
      'aws:SourceIdentity': principal.sourceIdentity,
      'aws:TokenIssueTime': awsTime(principal.issuedAt),
    });
  }
  for (const [key, value] of Object.entries(principalTags(principal, state))) keys[`aws:PrincipalTag/${key}`] = value;
  return keys;
}

/** Role (or user) tags, overridden by session tags of the same key, case-insensitively. */
export function principalTags(principal: Principal, state: StandinState): Tags {
  const roleTags = principal.kind === 'role-session' ? state.findRole(principal.roleArn)?.tags ?? {} : {};
  const sessionKeys = new Set(Object.keys(principal.tags).map((k) => k.toLowerCase()));
  const inherited = Object.entries(roleTags).filter(([k]) => !sessionKeys.has(k.toLowerCase()));
  return { ...Object.fromEntries(inherited), ...principal.tags };
}

export function identityPolicies(principal: Principal, state: StandinState): PolicyDocument[] {
  const role = principal.kind === 'role-session' ? state.findRole(principal.roleArn) : undefined;
  return role?.permissionPolicies ?? principal.permissionPolicies ?? [ALLOW_ALL];
}

export type Authorization = { allowed: true } | { allowed: false; resource: string; because: string };

/**
 * Checks one action against each resource in turn (StartSession checks the
 * instance and the document); reports the first refusal the way AWS words it.
 */
export function authorize(
  state: StandinState,
  principal: Principal,
  action: string,
  resources: readonly { arn: string; context?: Record<string, ContextValue | undefined> }[],
  now: Date = state.now(),
): Authorization {
  const base = principalContext(principal, state, now);
  const sessionPolicy = principal.kind === 'role-session' ? principal.sessionPolicy : undefined;
  for (const resource of resources) {
    const request = { action, resource: resource.arn, context: contextOf({ ...base, ...resource.context }) };
    const identity = evaluate(identityPolicies(principal, state), request);
    const session = sessionPolicy ? evaluate([sessionPolicy], request) : 'allow';
    const refuse = (because: string): Authorization => ({ allowed: false, resource: resource.arn, because });
    if (identity === 'deny') return refuse('with an explicit deny in an identity-based policy');
    if (session === 'deny') return refuse('with an explicit deny in a session policy');
    if (identity !== 'allow') return refuse(`because no identity-based policy allows the ${action} action`);
    if (session !== 'allow') return refuse(`because no session policy allows the ${action} action`);
  }
  return { allowed: true };
}
