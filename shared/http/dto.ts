import type { AccessRequest } from '../domain/access-request.ts';
import type { ServicePrincipal, Target } from '../domain/target.ts';

// What leaves the API. None of these hold secrets; the tenant is implied by the caller.
export function requestDto(r: AccessRequest) {
  const { tenantId: _t, ...rest } = r;
  return rest;
}

export function targetDto(t: Target) {
  const { tenantId: _t, ...rest } = t;
  return rest;
}

export function serviceDto(s: ServicePrincipal) {
  const { tenantId: _t, ...rest } = s;
  return rest;
}
