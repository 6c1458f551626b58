import { SetupWouldNotCoverGrantsError } from './errors.ts';
import { CONTROL_DB_USER, permissionPolicy, resourcesFromList, type SetupTarget } from './permission-policy.ts';
import { policyExcess, type PolicyExcess } from './policy-subset.ts';
import { databaseControlPolicyDocument, sessionPolicyDocument, type SessionPolicy, type SessionPolicyInput } from './session-policy.ts';
import type { IamPolicy } from './policy-document.ts';

// The two places the subset rule is enforced: at issuance (against the setup
// the customer was handed) and when a setup is emitted (against itself).

/** The permission policy of a setup baseline: what the customer was last handed, rebuilt from its resource list. */
export const installedPermissionPolicy = (baselineResources: readonly string[]): IamPolicy | undefined => permissionPolicy(resourcesFromList(baselineResources));

/** What a grant's session policy asks for beyond the installed permission policy; empty when it is a subset. */
export const grantExcess = (grant: SessionPolicyInput, installed: IamPolicy | undefined): PolicyExcess[] => policyExcess(sessionPolicyDocument(grant), installed);

/**
 * Every session policy the targets' grants can ask for: each database user,
 * without a tunnel and, where there is a bastion, with one. The window's end
 * only adds a condition, which only narrows, so any instant stands for all.
 */
export function impliedSessionPolicies(targets: readonly SetupTarget[], windowEnd: Date = new Date(0)): SessionPolicy[] {
  return targets.flatMap((t) => [
    ...t.databaseUsers.flatMap((databaseUser) => {
      const grant = { region: t.region, accountId: t.accountId, resourceId: t.resourceId, databaseUser, windowEnd };
      return [sessionPolicyDocument(grant), ...(t.bastionInstanceId ? [sessionPolicyDocument({ ...grant, ssm: { instanceId: t.bastionInstanceId } })] : [])];
    }),
    // Ending sessions directly connects as the control user.
    ...(t.policy?.sessions?.terminateVia === 'direct'
      ? [databaseControlPolicyDocument({ region: t.region, accountId: t.accountId, resourceId: t.resourceId, controlUser: CONTROL_DB_USER, until: windowEnd })]
      : []),
  ]);
}

/** Throws SetupWouldNotCoverGrantsError when `permission` does not cover every session policy the targets imply. */
export function assertCoversGrants(permission: IamPolicy | undefined, targets: readonly SetupTarget[]): void {
  const excess = impliedSessionPolicies(targets).flatMap((session) => policyExcess(session, permission));
  if (excess.length > 0) throw new SetupWouldNotCoverGrantsError(excess);
}
