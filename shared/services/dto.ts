import type { ServicePrincipal } from './service.ts';
import type { ServiceDto } from './responses.ts';

// What leaves the API (its schema: responses.ts). No secrets; the tenant is implied by the caller.
export function serviceDto(s: ServicePrincipal): ServiceDto {
  const { tenantId: _t, ...rest } = s;
  return rest;
}
