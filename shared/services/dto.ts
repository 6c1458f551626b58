import type { ServicePrincipal } from './service.ts';

// What leaves the API. No secrets; the tenant is implied by the caller.
export function serviceDto(s: ServicePrincipal) {
  const { tenantId: _t, ...rest } = s;
  return rest;
}
