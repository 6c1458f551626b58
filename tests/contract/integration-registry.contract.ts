import { describe, expect, it } from 'vitest';
import { LogAction } from '#shared/grant-log/events';
import { ExternalIdTakenError } from '#shared/integrations/errors';
import type { Integration } from '#shared/integrations/integration';
import type { IntegrationRegistry } from '#shared/integrations/ports';
import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { actionsOf, adminEntry, allPages, contractTenant, type Harness } from './harness.ts';

// The promises of IntegrationRegistry (shared/integrations/ports.ts), for the fake and DynamoIntegrationRegistry alike.

let n = 0;
const freshExternalId = () => `lk-ext-ct${process.pid}${Date.now().toString(36)}${String(++n).padStart(6, '0')}`;

const integration = (tenantId: string, integrationId: string, overrides: Partial<Integration> = {}): Integration => ({
  tenantId,
  integrationId,
  name: 'prod account',
  accountId: '111122223333',
  externalId: freshExternalId(),
  status: 'pending',
  createdAt: '2026-11-24T09:00:00.000Z',
  createdBy: 'admin',
  version: 1,
  ...overrides,
});

export function describeIntegrationRegistryContract(name: string, make: () => Harness<IntegrationRegistry>): void {
  describe(`IntegrationRegistry contract: ${name}`, () => {
    it('returns what create wrote, with its log entry; another tenant does not see it', async () => {
      const h = make();
      const tenant = contractTenant();
      const a = integration(tenant, 'int_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.integrationCreated));

      expect(await h.store.get(tenant, a.integrationId)).toEqual(a);
      expect(await h.store.get(contractTenant(), a.integrationId)).toBeUndefined();
      expect(await actionsOf(h, tenant)).toEqual(['integration.created']);
    });

    it('refuses a taken id with AlreadyExistsError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const a = integration(tenant, 'int_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.integrationCreated));

      await expect(h.store.create(integration(tenant, a.integrationId), adminEntry(tenant, LogAction.integrationCreated))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await h.store.get(tenant, a.integrationId)).toEqual(a);
      expect(await actionsOf(h, tenant)).toEqual(['integration.created']);
    });

    it('claims the external ID across every tenant: reusing it anywhere is ExternalIdTakenError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const other = contractTenant();
      const a = integration(tenant, 'int_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.integrationCreated));

      const copy = integration(other, 'int_01JCONTRACTBBBBBB', { externalId: a.externalId });
      await expect(h.store.create(copy, adminEntry(other, LogAction.integrationCreated))).rejects.toBeInstanceOf(ExternalIdTakenError);
      expect(await h.store.get(other, copy.integrationId)).toBeUndefined();
      expect(await actionsOf(h, other)).toEqual([]);
    });

    it('saves at the current version; a stale version, or a changed external ID or account, is ConcurrentModificationError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const a = integration(tenant, 'int_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.integrationCreated));
      const next: Integration = { ...a, status: 'verified', version: 2 };
      await h.store.save(next, 1, adminEntry(tenant, LogAction.integrationVerified));

      for (const [changed, expected] of [
        [{ ...next, version: 3, name: 'lost' }, 1],
        [{ ...next, version: 3, externalId: freshExternalId() }, 2],
        [{ ...next, version: 3, accountId: '444455556666' }, 2],
      ] as const) {
        await expect(h.store.save(changed, expected, adminEntry(tenant, LogAction.integrationVerified))).rejects.toBeInstanceOf(ConcurrentModificationError);
      }
      expect(await h.store.get(tenant, a.integrationId)).toEqual(next);
      expect(await actionsOf(h, tenant)).toEqual(['integration.created', 'integration.verified']);
    });

    it('pages integrations in id order, each exactly once, and refuses its cursor in another tenant', async () => {
      const h = make();
      const tenant = contractTenant();
      const ids = ['int_01JCONTRACTPAGE03', 'int_01JCONTRACTPAGE01', 'int_01JCONTRACTPAGE05', 'int_01JCONTRACTPAGE02', 'int_01JCONTRACTPAGE04'];
      for (const id of ids) await h.store.create(integration(tenant, id), adminEntry(tenant, LogAction.integrationCreated));

      const { items, pages } = await allPages((cursor) => h.store.list(tenant, { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(items.map((i) => i.integrationId)).toEqual([...ids].sort());
      expect(pages).toBe(3);

      const first = await h.store.list(tenant, { limit: 2 });
      await expect(h.store.list(contractTenant(), { limit: 2, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
