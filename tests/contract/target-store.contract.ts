import { describe, expect, it } from 'vitest';
import { LogAction } from '#shared/grant-log/events';
import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import type { TargetStore } from '#shared/targets/ports';
import { target } from '../support/builders.ts';
import { actionsOf, adminEntry, allPages, contractTenant, type Harness } from './harness.ts';

// The promises of TargetStore (shared/targets/ports.ts), for the fake and DynamoTargetStore alike.

export function describeTargetStoreContract(name: string, make: () => Harness<TargetStore>): void {
  describe(`TargetStore contract: ${name}`, () => {
    it('returns what create wrote, and writes its log entry with it', async () => {
      const h = make();
      const tenant = contractTenant();
      const a = target(tenant, 'tgt_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.targetCreated));

      expect(await h.store.get(tenant, a.targetId)).toEqual(a);
      expect(await actionsOf(h, tenant)).toEqual(['target.created']);
    });

    it('refuses a taken id with AlreadyExistsError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const a = target(tenant, 'tgt_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.targetCreated));

      await expect(h.store.create({ ...a, name: 'other' }, adminEntry(tenant, LogAction.targetCreated))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await h.store.get(tenant, a.targetId)).toEqual(a);
      expect(await actionsOf(h, tenant)).toEqual(['target.created']);
    });

    it("has no target of another tenant: get and list are undefined and empty there", async () => {
      const h = make();
      const tenant = contractTenant();
      const a = target(tenant, 'tgt_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.targetCreated));
      const other = contractTenant();

      expect(await h.store.get(other, a.targetId)).toBeUndefined();
      expect((await h.store.list(other, { limit: 10 })).items).toEqual([]);
    });

    it('saves at the current version with its entry, and refuses a stale version with ConcurrentModificationError, writing nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const a = target(tenant, 'tgt_01JCONTRACTAAAAAA');
      await h.store.create(a, adminEntry(tenant, LogAction.targetCreated));
      const next = { ...a, version: 2, policy: { ...a.policy, approvalsRequired: 2 } };
      await h.store.save(next, 1, adminEntry(tenant, LogAction.policyUpdated));

      await expect(h.store.save({ ...next, version: 3, name: 'lost' }, 1, adminEntry(tenant, LogAction.policyUpdated))).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await h.store.get(tenant, a.targetId)).toEqual(next);
      expect(await actionsOf(h, tenant)).toEqual(['target.created', 'policy.updated']);
    });

    it('refuses a save of a target that does not exist with ConcurrentModificationError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const ghost = { ...target(tenant, 'tgt_01JCONTRACTGHOST1'), version: 2 };

      await expect(h.store.save(ghost, 1, adminEntry(tenant, LogAction.policyUpdated))).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await h.store.get(tenant, ghost.targetId)).toBeUndefined();
      expect(await actionsOf(h, tenant)).toEqual([]);
    });

    it('pages targets in id order, each exactly once, and refuses its cursor in another tenant', async () => {
      const h = make();
      const tenant = contractTenant();
      const ids = ['tgt_01JCONTRACTPAGE05', 'tgt_01JCONTRACTPAGE01', 'tgt_01JCONTRACTPAGE03', 'tgt_01JCONTRACTPAGE02', 'tgt_01JCONTRACTPAGE04'];
      for (const id of ids) await h.store.create(target(tenant, id), adminEntry(tenant, LogAction.targetCreated));

      const { items, pages } = await allPages((cursor) => h.store.list(tenant, { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(items.map((t) => t.targetId)).toEqual([...ids].sort());
      expect(pages).toBe(3);

      const first = await h.store.list(tenant, { limit: 2 });
      await expect(h.store.list(contractTenant(), { limit: 2, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
