import type { Clock, Page, PageRequest } from '../kernel/ports.ts';
import type { ServiceStore } from './ports.ts';
import type { TargetStore } from '../targets/index.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { canAdminister, type Principal } from '../kernel/principal.ts';
import { LogAction } from '../grant-log/index.ts';
import type { ServiceInput, ServicePrincipal } from './service.ts';

/**
 * Register a third-party service by its IAM role ARN:
 * 1. admin only;
 * 2. every target and database user it may request must exist in this tenant;
 * 3. the role is claimed for this tenant (a role already claimed elsewhere is refused) and logged.
 */
export async function registerService(deps: { clock: Clock; targets: TargetStore; services: ServiceStore }, principal: Principal, input: ServiceInput): Promise<ServicePrincipal> {
  if (!canAdminister(principal)) throw new ForbiddenError('Only a tenant admin can register services.');
  for (const [i, grant] of input.access.entries()) {
    const target = await deps.targets.get(principal.tenantId, grant.targetId);
    const unknown = target ? grant.databaseUsers.filter((u) => !target.databaseUsers.includes(u)) : grant.databaseUsers;
    if (!target || unknown.length > 0) {
      throw new ValidationError(target ? 'The target has no such database user.' : 'No such target.', { path: ['access', i], unknown });
    }
  }
  const now = deps.clock.now().toISOString();
  const service: ServicePrincipal = { ...input, tenantId: principal.tenantId, createdAt: now, createdBy: principal.id };
  await deps.services.register(service, {
    tenantId: principal.tenantId,
    at: now,
    action: LogAction.serviceRegistered,
    actorId: principal.id,
    actorKind: principal.kind,
    outcome: 'success',
    details: { roleArn: input.roleArn, name: input.name, access: input.access, autoApprove: input.autoApprove },
  });
  return service;
}

export async function listServices(deps: { services: ServiceStore }, principal: Principal, page: PageRequest): Promise<Page<ServicePrincipal>> {
  if (!canAdminister(principal)) throw new ForbiddenError('Only a tenant admin can list services.');
  return deps.services.list(principal.tenantId, page);
}
