import type { Clock, IdGenerator, Page, PageRequest } from '../kernel/ports.ts';
import type { TargetStore } from './ports.ts';
import { ForbiddenError, NotFoundError } from '../kernel/errors.ts';
import { canAdminister, canReadTargets, type Principal } from '../kernel/principal.ts';
import { LogAction } from '../grant-log/index.ts';
import type { Policy, Target, TargetInput } from './target.ts';
import { assertTargetIntegration, type IntegrationRegistry } from '../integrations/index.ts';
import { assertTicketPattern } from './ticket-pattern.ts';

/**
 * Register a database:
 * 1. only a tenant admin may;
 * 2. an integration it names must be one of this tenant, linking the target's AWS account;
 * 3. Latchkey names it (ids are never chosen by callers);
 * 4. the target and a `target.created` log event are written together.
 */
export async function createTarget(
  deps: { clock: Clock; ids: IdGenerator; targets: TargetStore } & { integrations: Pick<IntegrationRegistry, 'get'> },
  principal: Principal,
  input: TargetInput,
): Promise<Target> {
  if (!canAdminister(principal)) throw new ForbiddenError('Only a tenant admin can register targets.');
  await assertTicketPattern(input.policy);
  await assertTargetIntegration(deps, principal.tenantId, input);
  const now = deps.clock.now().toISOString();
  const target: Target = { ...input, tenantId: principal.tenantId, targetId: deps.ids.next('tgt'), createdAt: now, createdBy: principal.id, version: 1 };
  await deps.targets.create(target, {
    tenantId: principal.tenantId,
    at: now,
    action: LogAction.targetCreated,
    actorId: principal.id,
    actorKind: principal.kind,
    outcome: 'success',
    targetId: target.targetId,
    details: {
      name: target.name, engine: target.engine, resourceId: target.resourceId, databaseUsers: target.databaseUsers, policy: target.policy,
      ...(target.integrationId ? { integrationId: target.integrationId } : {}),
    },
  });
  return target;
}

export async function getTarget(deps: { targets: TargetStore }, principal: Principal, targetId: string): Promise<Target> {
  if (!canReadTargets(principal)) throw new ForbiddenError('You have no role in this tenant.');
  const target = await deps.targets.get(principal.tenantId, targetId);
  if (!target) throw new NotFoundError('The target');
  return target;
}

export async function listTargets(deps: { targets: TargetStore }, principal: Principal, page: PageRequest): Promise<Page<Target>> {
  if (!canReadTargets(principal)) throw new ForbiddenError('You have no role in this tenant.');
  return deps.targets.list(principal.tenantId, page);
}

/** Replace a target's policy; a conditional write on the version read, logged with the old and new policy. */
export async function putPolicy(deps: { clock: Clock; targets: TargetStore }, principal: Principal, targetId: string, policy: Policy): Promise<Target> {
  if (!canAdminister(principal)) throw new ForbiddenError('Only a tenant admin can change a policy.');
  await assertTicketPattern(policy);
  const target = await deps.targets.get(principal.tenantId, targetId);
  if (!target) throw new NotFoundError('The target');
  const now = deps.clock.now().toISOString();
  const next: Target = { ...target, policy, version: target.version + 1 };
  await deps.targets.save(next, target.version, {
    tenantId: principal.tenantId,
    at: now,
    action: LogAction.policyUpdated,
    actorId: principal.id,
    actorKind: principal.kind,
    outcome: 'success',
    targetId,
    details: { before: target.policy, after: policy },
  });
  return next;
}
