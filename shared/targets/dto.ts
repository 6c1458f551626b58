import type { Target } from './target.ts';
import type { TargetDto } from './responses.ts';

// What leaves the API (its schema: responses.ts). No secrets; the tenant is implied by the caller.
export function targetDto(t: Target): TargetDto {
  const { tenantId: _t, ...rest } = t;
  return rest;
}
