import { describe, expect, it } from 'vitest';
import { LogAction } from '#shared/grant-log/events';
import { AlreadyExistsError, ValidationError } from '#shared/kernel/errors';
import type { ServicePrincipal } from '#shared/services/service';
import type { ServiceStore } from '#shared/services/ports';
import { actionsOf, adminEntry, allPages, contractTenant, type Harness } from './harness.ts';

// The promises of ServiceStore (shared/services/ports.ts), for the fake and DynamoServiceStore alike.

let n = 0;
/** A role no other case (or run) uses: findByRole is global, so roles must not collide across tenants by accident. */
const freshRole = (path = '') => `arn:aws:iam::${String(100000000000 + (process.pid % 100000) * 1000 + (++n % 1000)).padStart(12, '0')}:role/${path}ct-${Date.now().toString(36)}-${n}`;

const service = (tenantId: string, roleArn: string): ServicePrincipal => ({
  roleArn,
  name: 'etl',
  access: [{ targetId: 'tgt_01JTARGETAAAAAAAA', databaseUsers: ['app_ro'] }],
  autoApprove: true,
  tenantId,
  createdAt: '2026-11-24T09:00:00.000Z',
  createdBy: 'admin',
}) as ServicePrincipal;

const roleOf = (arn: string) => ({ account: arn.split(':')[4]!, name: arn.split('/').at(-1)! });

export function describeServiceStoreContract(name: string, make: () => Harness<ServiceStore>): void {
  describe(`ServiceStore contract: ${name}`, () => {
    it('registers a service with its log entry; findByRole finds it by account and role name, whatever the path', async () => {
      const h = make();
      const tenant = contractTenant();
      const arn = freshRole('team/etl/');
      await h.store.register(service(tenant, arn), adminEntry(tenant, LogAction.serviceRegistered));

      const role = roleOf(arn);
      expect(await h.store.findByRole(role.account, role.name)).toEqual(service(tenant, arn));
      expect(await h.store.findByRole(role.account, `${role.name}-other`)).toBeUndefined();
      expect(await actionsOf(h, tenant)).toEqual(['service.registered']);
    });

    it('lets one IAM role belong to one tenant: a second registration anywhere is AlreadyExistsError and writes nothing', async () => {
      const h = make();
      const tenant = contractTenant();
      const other = contractTenant();
      const arn = freshRole();
      await h.store.register(service(tenant, arn), adminEntry(tenant, LogAction.serviceRegistered));

      await expect(h.store.register(service(other, arn), adminEntry(other, LogAction.serviceRegistered))).rejects.toBeInstanceOf(AlreadyExistsError);
      await expect(h.store.register(service(tenant, arn), adminEntry(tenant, LogAction.serviceRegistered))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await h.store.list(other, { limit: 10 })).items).toEqual([]);
      expect(await actionsOf(h, other)).toEqual([]);
      expect(await actionsOf(h, tenant)).toEqual(['service.registered']);
      const role = roleOf(arn);
      expect((await h.store.findByRole(role.account, role.name))?.tenantId).toBe(tenant);
    });

    it("pages a tenant's services in role order, each exactly once, and refuses its cursor in another tenant", async () => {
      const h = make();
      const tenant = contractTenant();
      const arns = Array.from({ length: 5 }, () => freshRole());
      for (const arn of arns) await h.store.register(service(tenant, arn), adminEntry(tenant, LogAction.serviceRegistered));
      const stranger = contractTenant();
      await h.store.register(service(stranger, freshRole()), adminEntry(stranger, LogAction.serviceRegistered));

      const { items, pages } = await allPages((cursor) => h.store.list(tenant, { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(items.map((s) => s.roleArn)).toEqual([...arns].sort());
      expect(pages).toBe(3);

      const first = await h.store.list(tenant, { limit: 2 });
      await expect(h.store.list(contractTenant(), { limit: 2, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
