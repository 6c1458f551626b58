import { AlreadyExistsError } from '#shared/kernel/errors';
import type { LogEntry } from '#shared/grant-log/events';
import { parseRoleArn } from '#shared/iam/arns';
import type { ServicePrincipal } from '#shared/services/service';
import type { Page, PageRequest } from '#shared/kernel/ports';
import type { ServiceStore } from '#shared/services/ports';
import { InMemoryGrantLog } from './grant-log.ts';
import { key, paginate } from './paging.ts';

// Keeps DynamoServiceStore's promises (tests/contract/service-store.contract.ts).

export class InMemoryServiceStore implements ServiceStore {
  private readonly byTenant = new Map<string, ServicePrincipal>();
  private readonly byRole = new Map<string, ServicePrincipal>();
  constructor(readonly log = new InMemoryGrantLog()) {}

  async register(service: ServicePrincipal, entry: LogEntry): Promise<void> {
    const role = parseRoleArn(service.roleArn);
    const roleKey = key(role.accountId, role.name);
    // One IAM role belongs to one tenant, whichever tenant registers it first.
    if (this.byRole.has(roleKey) || this.byTenant.has(key(service.tenantId, service.roleArn))) {
      throw new AlreadyExistsError('A service principal for this IAM role');
    }
    this.log.append([entry]);
    this.byRole.set(roleKey, structuredClone(service));
    this.byTenant.set(key(service.tenantId, service.roleArn), structuredClone(service));
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<ServicePrincipal>> {
    const items = [...this.byTenant.values()].filter((s) => s.tenantId === tenantId).sort((a, b) => (a.roleArn < b.roleArn ? -1 : 1));
    return paginate(items, key('services', tenantId), page);
  }

  async findByRole(accountId: string, roleName: string): Promise<ServicePrincipal | undefined> {
    const item = this.byRole.get(key(accountId, roleName));
    return item && structuredClone(item);
  }
}
