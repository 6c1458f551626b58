import type { Target } from './target.ts';

// What leaves the API. No secrets; the tenant is implied by the caller.
export function targetDto(t: Target) {
  const { tenantId: _t, ...rest } = t;
  return rest;
}
