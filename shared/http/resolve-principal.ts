import * as z from 'zod';
import { ForbiddenError, UnauthenticatedError } from '../kernel/errors.ts';
import { allRoles, defaultClaimNames, type Authentication, type ClaimNames, type Principal, type Role } from '../kernel/principal.ts';
import { roleOfCaller } from '../iam/arns.ts';
import type { ServiceStore } from '../services/ports.ts';

// API Gateway authenticated the caller before the handler runs (JWT authorizer
// for people on the HTTP API, SigV4 on the REST API for services). This turns
// what it passes on into one Principal.

export const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'is not a tenant id');

/**
 * HTTP API hands JWT claims to Lambda as strings: a JSON array claim arrives as
 * "[a b c]" (space separated, in brackets). Accept that, a real array (other
 * integrations), a JSON array in a string, or a plain string of values separated by
 * spaces or commas (the OAuth `scope` form, and what an IdP expression that joins a
 * list produces). Names with spaces survive only the JSON forms, which API Gateway
 * never sends: keep role and group names free of spaces.
 */
export function parseListClaim(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        return (JSON.parse(text) as unknown[]).map(String);
      } catch {
        /* fall through to the space-separated form */
      }
    }
    return splitList(inner);
  }
  return splitList(text);
}

const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

const subjectSchema = z.string().min(1).max(256);

/**
 * A person's principal from the claims API Gateway's JWT authorizer verified. `names` says which
 * claim carries what (deploy parameters; today's names by default). The subject and the tenant
 * must be there and well formed, or the caller is not authenticated; roles and groups may be
 * absent (a principal with none), unknown roles are dropped, and a display name that is not a
 * short string is ignored rather than failing the login.
 */
export function principalFromClaims(claims: Record<string, unknown>, names: ClaimNames = defaultClaimNames): Principal {
  const subject = subjectSchema.safeParse(claims[names.subject]);
  if (!subject.success) throw new UnauthenticatedError(`The token has no valid subject claim ("${names.subject}").`);
  const tenant = tenantIdSchema.safeParse(claims[names.tenant]);
  if (!tenant.success) throw new UnauthenticatedError(`The token has no valid tenant claim ("${names.tenant}").`);
  const roles = parseListClaim(claims[names.roles]).filter((r): r is Role => (allRoles as string[]).includes(r));
  const groups = parseListClaim(claims[names.groups]).filter((g) => g.length <= 128);
  const displayName = claims[names.displayName];
  const authentication = authenticationOf(claims);
  return {
    id: subject.data,
    kind: 'user',
    tenantId: tenant.data,
    roles: [...new Set(roles)],
    groups: [...new Set(groups)],
    ...(typeof displayName === 'string' && displayName !== '' && displayName.length <= 256 ? { displayName } : {}),
    ...(authentication ? { authentication } : {}),
  };
}

/**
 * The standard OIDC `auth_time` (seconds since the epoch, as text through API Gateway) and
 * `amr` (a list claim). Step-up rules read them; a malformed one counts as absent, which
 * can only make a rule refuse, never pass.
 */
function authenticationOf(claims: Record<string, unknown>): Authentication | undefined {
  const seconds = Number(claims.auth_time);
  const time = claims.auth_time !== undefined && Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
  const methods = parseListClaim(claims.amr).filter((m) => m.length <= 32).slice(0, 20);
  if (!time && methods.length === 0) return undefined;
  return { ...(time ? { time } : {}), methods: [...new Set(methods)] };
}

/** Services are admitted only as the exact IAM role an admin registered; everything else is refused. */
export async function principalFromCaller(callerArn: string | null | undefined, services: Pick<ServiceStore, 'findByRole'>): Promise<Principal> {
  const role = callerArn ? roleOfCaller(callerArn) : undefined;
  if (!role) throw new ForbiddenError('Only IAM role sessions registered as services can call this API.');
  const service = await services.findByRole(role.accountId, role.name);
  if (!service) throw new ForbiddenError('This IAM role is not registered with Latchkey.');
  return {
    id: service.roleArn,
    kind: 'service',
    tenantId: service.tenantId,
    roles: ['requester'],
    groups: [],
    displayName: service.name,
    scope: { access: service.access, autoApprove: service.autoApprove },
  };
}
