import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { ExternalIdTakenError } from './errors.ts';
import { canAdminister, type Principal } from '../kernel/principal.ts';
import { LogAction, type LogEntry } from '../grant-log/index.ts';
import { parseRoleArn } from '../iam/index.ts';
import { IntegrationStatus, newExternalId, withRole, type CreateIntegrationInput, type Integration } from './integration.ts';
import type { Page, PageRequest } from '../kernel/ports.ts';
import type { IntegrationDeps } from './deps.ts';

// Integrations are an admin's business throughout: they hold the tenant's
// external IDs. Another tenant's integration does not exist for the caller (404).

const ATTEMPTS = 3;

export function integrationLogEntry(principal: Principal, at: string, action: LogEntry['action'], outcome: LogEntry['outcome'], details: Record<string, unknown>): LogEntry {
  // Never the external ID: it is a secret of the tenant (invariant 5).
  return { tenantId: principal.tenantId, at, action, actorId: principal.id, actorKind: principal.kind, outcome, details };
}

function requireAdmin(principal: Principal, what: string): void {
  if (!canAdminister(principal)) throw new ForbiddenError(`Only a tenant admin can ${what}.`);
}

/**
 * Link an AWS account:
 * 1. admin only;
 * 2. Latchkey names the integration and draws its external ID (never from the caller);
 * 3. the integration, the external ID's uniqueness claim and an `integration.created` event are one transaction;
 *    a collision draws again.
 */
export async function createIntegration(deps: Pick<IntegrationDeps, 'clock' | 'ids' | 'integrations' | 'newExternalId'>, principal: Principal, input: CreateIntegrationInput): Promise<Integration> {
  requireAdmin(principal, 'link AWS accounts');
  const draw = deps.newExternalId ?? (() => newExternalId());
  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now().toISOString();
    const integration: Integration = {
      tenantId: principal.tenantId,
      integrationId: deps.ids.next('int'),
      name: input.name,
      accountId: input.accountId,
      externalId: draw(),
      status: IntegrationStatus.pending,
      createdAt: now,
      createdBy: principal.id,
      version: 1,
    };
    try {
      await deps.integrations.create(
        integration,
        integrationLogEntry(principal, now, LogAction.integrationCreated, 'success', { integrationId: integration.integrationId, accountId: input.accountId, name: input.name }),
      );
      return integration;
    } catch (error) {
      if (!(error instanceof ExternalIdTakenError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

export async function getIntegration(deps: Pick<IntegrationDeps, 'integrations'>, principal: Principal, integrationId: string): Promise<Integration> {
  requireAdmin(principal, 'read integrations');
  const integration = await deps.integrations.get(principal.tenantId, integrationId);
  if (!integration) throw new NotFoundError('The integration');
  return integration;
}

export async function listIntegrations(deps: Pick<IntegrationDeps, 'integrations'>, principal: Principal, page: PageRequest): Promise<Page<Integration>> {
  requireAdmin(principal, 'list integrations');
  return deps.integrations.list(principal.tenantId, page);
}

/**
 * Hand back the role the customer created:
 * 1. admin only; the integration must exist in the tenant;
 * 2. the role must be in the integration's account;
 * 3. the integration goes (back) to pending — a new role is unproven until verified — conditionally on the version read, logged.
 */
export async function registerIntegrationRole(
  deps: Pick<IntegrationDeps, 'clock' | 'integrations'>,
  principal: Principal,
  input: { integrationId: string; roleArn: string },
): Promise<Integration> {
  const integration = await getIntegration(deps, principal, input.integrationId);
  const role = parseRoleArn(input.roleArn);
  if (role.accountId !== integration.accountId) {
    throw new ValidationError(`The role is in account ${role.accountId}, but this integration links account ${integration.accountId}.`, { path: ['roleArn'] });
  }
  const now = deps.clock.now();
  const next = withRole(integration, input.roleArn, now);
  await deps.integrations.save(
    next,
    integration.version,
    integrationLogEntry(principal, now.toISOString(), LogAction.integrationRoleRegistered, 'success', {
      integrationId: integration.integrationId,
      roleArn: input.roleArn,
      ...(integration.roleArn && integration.roleArn !== input.roleArn ? { previousRoleArn: integration.roleArn } : {}),
      previousStatus: integration.status,
    }),
  );
  return next;
}

/**
 * A target may name an integration only of its own tenant and AWS account.
 * Integrations are never deleted and their account never changes, so this read
 * cannot be invalidated before the target is written.
 */
export async function assertTargetIntegration(deps: { integrations: Pick<IntegrationDeps['integrations'], 'get'> }, tenantId: string, target: { integrationId?: string; accountId: string }): Promise<void> {
  if (!target.integrationId) return;
  const integration = await deps.integrations.get(tenantId, target.integrationId);
  if (!integration) throw new ValidationError('No such integration in this tenant.', { path: ['integrationId'] });
  if (integration.accountId !== target.accountId) {
    throw new ValidationError(`The target is in account ${target.accountId}, but the integration links account ${integration.accountId}.`, { path: ['accountId'] });
  }
}
