import type { AccessRequest } from './access-request.ts';

// What leaves the API. None of these hold secrets; the tenant is implied by the caller.
export function requestDto(r: AccessRequest) {
  const { tenantId: _t, integrationId: _i, ...rest } = r;
  return rest;
}
