import type { AccessRequest } from './access-request.ts';
import type { RequestDto } from './responses.ts';

// What leaves the API (its schema: responses.ts). None of these hold secrets; the tenant is implied by the caller.
export function requestDto(r: AccessRequest): RequestDto {
  const { tenantId: _t, integrationId: _i, ...rest } = r;
  return rest;
}
