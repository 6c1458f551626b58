import type { LogEntry } from '../grant-log/index.ts';
import type { Page, PageRequest } from '../kernel/ports.ts';
import type { ServicePrincipal } from './service.ts';

export interface ServiceStore {
  /** One IAM role belongs to at most one tenant; AlreadyExistsError otherwise. */
  register(service: ServicePrincipal, entry: LogEntry): Promise<void>;
  list(tenantId: string, page: PageRequest): Promise<Page<ServicePrincipal>>;
  /** Identity resolution: the only lookup that is not scoped by a tenant, because it finds the tenant. */
  findByRole(accountId: string, roleName: string): Promise<ServicePrincipal | undefined>;
}
