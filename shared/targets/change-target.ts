import type { Clock } from '../kernel/ports.ts';
import { ConcurrentModificationError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { canAdminister, type Principal } from '../kernel/principal.ts';
import { LogAction } from '../grant-log/index.ts';
import { assertTargetIntegration, type IntegrationRegistry } from '../integrations/index.ts';
import { TargetChangeBreaksOpenGrantsError, type AffectedGrant } from './errors.ts';
import type { GrantOnTarget, GrantsOnTarget, TargetStore } from './ports.ts';
import { changeableTargetFields, type ChangeableTargetField, type TargetChangeBody } from './schemas.ts';
import type { Target } from './target.ts';

export type ChangeTargetDeps = { clock: Clock; targets: TargetStore; requests: GrantsOnTarget; integrations: Pick<IntegrationRegistry, 'get'> };

/** One changed field as the log records it: `null` where the target had (or now has) none. */
type FieldChange = { before: unknown; after: unknown; added?: string[]; removed?: string[] };

export type TargetChangeResult = { target: Target; changed: ChangeableTargetField[] };

/**
 * Change where a target is and who may be asked for (PUT /targets/{targetId}):
 * 1. only a tenant admin may; the target must exist in the caller's tenant (another tenant's is unknown);
 * 2. `version` must be the stored one, so two admins cannot overwrite each other unseen → else ConcurrentModificationError;
 * 3. a change that changes nothing is answered with the target as stored, and writes nothing;
 * 4. a database user the policy's auto-approval still names cannot go, and a new integration must be
 *    of this tenant and the target's account → else ValidationError;
 * 5. the open grants on the target (approved, window not ended at the injected clock) whose credentials
 *    name what changes — their database user, the endpoint, the port, the integration, the bastion they
 *    may tunnel through — refuse the change with TargetChangeBreaksOpenGrantsError, unless `force`;
 * 6. the target and ONE `target.updated` event (each changed field before and after; when forced, the
 *    grants it broke) are written together, conditionally on the version read.
 */
export async function changeTarget(deps: ChangeTargetDeps, principal: Principal, targetId: string, body: TargetChangeBody): Promise<TargetChangeResult> {
  if (!canAdminister(principal)) throw new ForbiddenError('Only a tenant admin can change targets.');
  const target = await deps.targets.get(principal.tenantId, targetId);
  if (!target) throw new NotFoundError('The target');
  if (body.version !== target.version) {
    throw new ConcurrentModificationError('The target', { currentVersion: target.version });
  }

  const next = applied(target, body);
  const changes = changesOf(target, next);
  const changed = changeableTargetFields.filter((f) => changes[f] !== undefined);
  if (changed.length === 0) return { target, changed };

  if (changes.databaseUsers) assertAutoApprovalKept(next);
  if (changes.integrationId && next.integrationId) await assertTargetIntegration(deps, principal.tenantId, next);
  const now = deps.clock.now();
  const affected = brokenGrants(target, next, await deps.requests.listApprovedOnTarget(principal.tenantId, targetId), now);
  if (affected.length > 0 && !body.force) throw new TargetChangeBreaksOpenGrantsError(affected);

  const saved: Target = { ...next, version: target.version + 1 };
  await deps.targets.save(saved, target.version, {
    tenantId: principal.tenantId,
    at: now.toISOString(),
    action: LogAction.targetUpdated,
    actorId: principal.id,
    actorKind: principal.kind,
    outcome: 'success',
    targetId,
    details: {
      version: { before: target.version, after: saved.version },
      changes,
      ...(affected.length > 0 ? { forced: true, affectedGrants: affected } : {}),
    },
  });
  return { target: saved, changed };
}

/** The target as the body would leave it: absent fields stay, `null` removes, the same set of users keeps its stored order. */
function applied(target: Target, body: TargetChangeBody): Target {
  const next: Target = { ...target };
  if (body.endpoint !== undefined) next.endpoint = body.endpoint;
  if (body.port !== undefined) next.port = body.port;
  if (body.databaseUsers !== undefined && !sameSet(body.databaseUsers, target.databaseUsers)) next.databaseUsers = body.databaseUsers;
  if (body.integrationId === null) delete next.integrationId;
  else if (body.integrationId !== undefined) next.integrationId = body.integrationId;
  if (body.bastionInstanceId === null) delete next.bastionInstanceId;
  else if (body.bastionInstanceId !== undefined) next.bastionInstanceId = body.bastionInstanceId;
  return next;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function changesOf(before: Target, after: Target): Partial<Record<ChangeableTargetField, FieldChange>> {
  const changes: Partial<Record<ChangeableTargetField, FieldChange>> = {};
  for (const field of changeableTargetFields) {
    const [was, is] = [before[field] ?? null, after[field] ?? null];
    if (field === 'databaseUsers') {
      if (was === is) continue;
      const [old, now] = [before.databaseUsers, after.databaseUsers];
      changes.databaseUsers = { before: old, after: now, added: now.filter((u) => !old.includes(u)), removed: old.filter((u) => !now.includes(u)) };
    } else if (was !== is) {
      changes[field] = { before: was, after: is };
    }
  }
  return changes;
}

/** An auto-approval rule for a user the target no longer has would be a rule for nothing: change the policy first. */
function assertAutoApprovalKept(after: Target): void {
  const issues = after.policy.autoApprove.flatMap((rule, i) =>
    after.databaseUsers.includes(rule.databaseUser) ? [] : [{ path: 'databaseUsers', message: `cannot drop ${rule.databaseUser}: policy.autoApprove[${i}] names it; change the policy first` }],
  );
  if (issues.length > 0) throw new ValidationError('The change is not valid.', issues);
}

/**
 * What an open grant's credentials name: the dbuser ARN (its database user on this resource), the endpoint
 * and port its token is signed for, the integration whose role issues them, and the bastion its tunnel runs
 * through (adding a bastion where there was none names nothing any grant holds).
 */
function brokenGrants(before: Target, after: Target, grants: GrantOnTarget[], now: Date): AffectedGrant[] {
  return grants
    .filter((g) => now.getTime() < Date.parse(g.windowEnd))
    .map((g) => {
      const fields: ChangeableTargetField[] = [];
      if ((before.integrationId ?? null) !== (after.integrationId ?? null)) fields.push('integrationId');
      if (before.endpoint !== after.endpoint) fields.push('endpoint');
      if (before.port !== after.port) fields.push('port');
      if (!after.databaseUsers.includes(g.databaseUser)) fields.push('databaseUsers');
      if (before.bastionInstanceId && before.bastionInstanceId !== after.bastionInstanceId) fields.push('bastionInstanceId');
      return { requestId: g.requestId, databaseUser: g.databaseUser, windowEnd: g.windowEnd, fields };
    })
    .filter((g) => g.fields.length > 0)
    .sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
}
