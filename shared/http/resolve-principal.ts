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
 * What a role or group value may be: 1 to 128 characters, none of them white space, a comma, a square
 * bracket, a double quote or a control character. Those are the characters list forms are written
 * with (`[a b]`, `a,b`, `["a"]`): a value holding one could be read as several, so a claim holding
 * such a value is refused (401) rather than split — `["requester,admin"]` must never make an admin.
 */
const listValue = /^[^\s,[\]"\p{Cc}]{1,128}$/u;

type ListClaim = { name: string; value: unknown };

const refuse = (claim: ListClaim) =>
  new UnauthenticatedError(
    `The token's "${claim.name}" claim must be a list of names of 1 to 128 characters without spaces, commas, brackets or quotes (or one such name).`,
  );

/**
 * A list claim as the token has it (see typedClaims): an array of values, or a string holding exactly
 * one. Nothing is split, so no single value can turn into two.
 */
export function parseListClaim(claim: ListClaim): string[] {
  const values = claim.value === undefined || claim.value === null ? [] : Array.isArray(claim.value) ? claim.value : [claim.value];
  if (!values.every((v): v is string => typeof v === 'string' && listValue.test(v))) throw refuse(claim);
  return values;
}

/**
 * Only for claims without the token they came from (see typedClaims): HTTP API hands JWT claims to
 * Lambda as strings, an array as "[a b c]", so a string is either that rendering (split on single
 * spaces) or one value.
 */
export function parseRenderedListClaim(claim: ListClaim): string[] {
  if (claim.value === undefined || claim.value === null || claim.value === '') return [];
  if (typeof claim.value !== 'string') throw refuse(claim);
  const text = claim.value;
  if (text === '[]') return [];
  return parseListClaim({ name: claim.name, value: text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).split(' ') : text });
}

/**
 * How HTTP API renders a claim for Lambda (dev/local-api/claims.ts has the full rules), for the
 * strings, numbers, booleans and arrays of them that Latchkey reads; anything else (objects, null)
 * is never taken as matching.
 */
const rendered = (value: unknown): string | undefined | null => {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? `[${value.map((v) => rendered(v) ?? '<nil>').join(' ')}]` : null;
};

function tokenPayload(authorization: string | undefined): Record<string, unknown> | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '').trim();
  const payload = token?.split('.')[1];
  if (!payload || token!.split('.').length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The claims with their JSON types, read from the bearer token itself — the very token API Gateway's
 * authorizer verified (its identity source is the Authorization header) — when every claim Latchkey
 * reads renders to what API Gateway passed on. The strings alone cannot tell the claim
 * `"[requester admin]"` (one string) from `["requester", "admin"]` (two roles). Undefined when the
 * event has no such token (hand-made events): the rendered claims are all there is then.
 */
export function typedClaims(authorization: string | undefined, claims: Record<string, unknown>, names: ClaimNames): Record<string, unknown> | undefined {
  const payload = tokenPayload(authorization);
  if (!payload) return undefined;
  const read = [names.subject, names.tenant, names.roles, names.groups, names.displayName, 'auth_time', 'amr'];
  return read.every((name) => rendered(payload[name]) === (claims[name] === undefined ? undefined : String(claims[name]))) ? payload : undefined;
}

const subjectSchema = z.string().min(1).max(256);

/**
 * A person's principal from the claims API Gateway's JWT authorizer verified. `names` says which
 * claim carries what (deploy parameters; today's names by default). The subject and the tenant
 * must be there and well formed, or the caller is not authenticated; roles and groups may be
 * absent (a principal with none) but each value must be a plain name (listValue), unknown roles are
 * dropped, and a display name that is not a short string is ignored rather than failing the login.
 * `form`: claims as the token has them (typedClaims), or only as API Gateway rendered them.
 */
export function principalFromClaims(claims: Record<string, unknown>, names: ClaimNames = defaultClaimNames, form: 'token' | 'rendered' = 'token'): Principal {
  const subject = subjectSchema.safeParse(claims[names.subject]);
  if (!subject.success) throw new UnauthenticatedError(`The token has no valid subject claim ("${names.subject}").`);
  const tenant = tenantIdSchema.safeParse(claims[names.tenant]);
  if (!tenant.success) throw new UnauthenticatedError(`The token has no valid tenant claim ("${names.tenant}").`);
  const list = form === 'token' ? parseListClaim : parseRenderedListClaim;
  const roles = list({ name: names.roles, value: claims[names.roles] }).filter((r): r is Role => (allRoles as string[]).includes(r));
  const groups = list({ name: names.groups, value: claims[names.groups] });
  const displayName = claims[names.displayName];
  const authentication = authenticationOf(claims, list);
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
function authenticationOf(claims: Record<string, unknown>, list: (claim: ListClaim) => string[]): Authentication | undefined {
  const seconds = Number(claims.auth_time);
  const time = claims.auth_time !== undefined && Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
  let methods: string[];
  try {
    methods = list({ name: 'amr', value: claims.amr }).filter((m) => m.length <= 32).slice(0, 20);
  } catch {
    methods = [];
  }
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
