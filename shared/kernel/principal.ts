export const Roles = {
  admin: 'admin',
  requester: 'requester',
  approver: 'approver',
  auditor: 'auditor',
} as const;
export type Role = (typeof Roles)[keyof typeof Roles];
export const allRoles = Object.values(Roles) as [Role, ...Role[]];

/** Who is calling, resolved once at the edge from a JWT or an IAM caller ARN. */
export type Principal = {
  /** JWT `sub` for people; the registered IAM role ARN for services. */
  id: string;
  kind: 'user' | 'service';
  tenantId: string;
  roles: readonly Role[];
  groups: readonly string[];
  displayName?: string;
  /** Services only: what the admin registered them for. */
  scope?: ServiceScope;
};

export type ServiceScope = { access: { targetId: string; databaseUsers: string[] }[]; autoApprove: boolean };

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}

export function canAdminister(principal: Principal): boolean {
  return principal.kind === 'user' && hasRole(principal, 'admin');
}

export function canReadTargets(principal: Principal): boolean {
  return principal.roles.length > 0;
}
