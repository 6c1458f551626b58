import type { Integration } from './integration.ts';
import type { IntegrationDto } from './responses.ts';

// What leaves the API about an integration (its schema: responses.ts). Every integration route is for the
// tenant's admins only, and they need the external ID to install the role.
export function integrationDto(i: Integration): IntegrationDto {
  const { tenantId: _t, setup, ...rest } = i;
  return { ...rest, roleArn: i.roleArn ?? null, lastSetup: setup ? { policyHash: setup.policyHash, at: setup.at, by: setup.by } : null };
}
