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
  /** People only: when and how they signed in (OIDC `auth_time`, `amr`), for step-up rules. */
  authentication?: Authentication;
};

/** `time` is the OIDC `auth_time` (when the person last actually signed in); `methods` the `amr` values (RFC 8176). */
export type Authentication = { time?: Date; methods: readonly string[] };

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

/**
 * Which JWT claims carry who a person is. Identity providers name them differently (Auth0 wants
 * namespaced URLs, Cognito has `cognito:groups`, Entra ID puts app roles in `roles`), so the names are
 * deploy parameters (serverless.yml `claim*` → `JWT_CLAIM_*`, checked at cold start by shared/config.ts).
 */
export type ClaimNames = {
  subject: string;
  tenant: string;
  roles: string;
  groups: string;
  displayName: string;
};

/** The names the development issuer mints and a deployment uses unless told otherwise. */
export const defaultClaimNames: ClaimNames = { subject: 'sub', tenant: 'tenant', roles: 'roles', groups: 'groups', displayName: 'name' };
