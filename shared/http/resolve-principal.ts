import * as z from 'zod';
import { ForbiddenError, UnauthenticatedError } from '../kernel/errors.ts';
import { allRoles, type Principal, type Role } from '../kernel/principal.ts';
import { roleOfCaller } from '../iam/arns.ts';
import type { ServiceStore } from '../services/ports.ts';

// API Gateway authenticated the caller before the handler runs (JWT authorizer
// for people on the HTTP API, SigV4 on the REST API for services). This turns
// what it passes on into one Principal.

export const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'is not a tenant id');

/**
 * HTTP API hands JWT claims to Lambda as strings: a JSON array claim arrives as
 * "[a b c]" (space separated, in brackets). Accept that, a real array (other
 * integrations), or a single bare value.
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
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return [text];
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  tenant: tenantIdSchema,
  // Optional: zod 4 makes a bare z.unknown() key required, which would turn a token without roles into a 401.
  roles: z.unknown().optional(),
  groups: z.unknown().optional(),
  name: z.string().max(256).optional(),
});

export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new UnauthenticatedError('The token lacks a subject or a valid tenant claim.');
  const roles = parseListClaim(parsed.data.roles).filter((r): r is Role => (allRoles as string[]).includes(r));
  const groups = parseListClaim(parsed.data.groups).filter((g) => g.length <= 128);
  return {
    id: parsed.data.sub,
    kind: 'user',
    tenantId: parsed.data.tenant,
    roles,
    groups,
    ...(parsed.data.name ? { displayName: parsed.data.name } : {}),
  };
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
