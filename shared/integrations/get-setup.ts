import { ConcurrentModificationError } from '../kernel/errors.ts';
import { SetupNotConfiguredError } from './errors.ts';
import { LogAction } from '../grant-log/index.ts';
import { withSetupBaseline, type Integration } from './integration.ts';
import { allResources, buildSetup, type Setup } from './setup.ts';
import type { Principal } from '../kernel/principal.ts';
import { changesSince, type ResourceChanges } from '../iam/index.ts';
import type { Target } from '../targets/index.ts';
import type { IntegrationDeps } from './deps.ts';
import { getIntegration, integrationLogEntry } from './use-cases.ts';

export type SetupResult = Setup & {
  status: Integration['status'];
  roleArn: string | null;
  /** What the permission policy gained and lost since the setup this admin (or another) was last handed. */
  changes: ResourceChanges & { since: string | null; previousPolicyHash: string | null };
};

const ATTEMPTS = 3;
const PAGE = 100;

/**
 * Emit the setup:
 * 1. admin only; the integration must exist in the tenant; the broker role must be configured;
 * 2. the permission policy is computed from the integration's CURRENT targets, so a new target or database user shows up here;
 * 3. `changes` compares it with the baseline recorded when a setup was last handed out;
 * 4. if the policy differs from that baseline, the new one becomes the baseline (conditional on the version read,
 *    with an `integration.setup_issued` event); fetching an unchanged setup writes nothing.
 */
export async function integrationSetup(deps: Pick<IntegrationDeps, 'clock' | 'integrations' | 'targets' | 'settings'>, principal: Principal, integrationId: string): Promise<SetupResult> {
  for (let attempt = 1; ; attempt++) {
    const integration = await getIntegration(deps, principal, integrationId);
    const brokerRoleArn = deps.settings.brokerRoleArn;
    if (!brokerRoleArn) throw new SetupNotConfiguredError('BROKER_ROLE_ARN');
    const targets = await targetsOf(deps, principal.tenantId, integrationId);
    const setup = buildSetup(integration, targets, { brokerRoleArn, ...(deps.settings.templateBaseUrl ? { templateBaseUrl: deps.settings.templateBaseUrl } : {}) });
    const resources = allResources(setup);
    const previous = integration.setup;
    const result: SetupResult = {
      ...setup,
      status: integration.status,
      roleArn: integration.roleArn ?? null,
      changes: { ...changesSince(previous?.resources, resources), since: previous?.at ?? null, previousPolicyHash: previous?.policyHash ?? null },
    };
    if (previous?.policyHash === setup.policyHash) return result;
    const now = deps.clock.now().toISOString();
    try {
      await deps.integrations.save(
        withSetupBaseline(integration, { policyHash: setup.policyHash, resources, at: now, by: principal.id }),
        integration.version,
        integrationLogEntry(principal, now, LogAction.integrationSetupIssued, 'success', {
          integrationId,
          policyHash: setup.policyHash,
          added: result.changes.added,
          removed: result.changes.removed,
        }),
      );
      return result;
    } catch (error) {
      // Another write (a verification, another fetch) moved the version: read again and recompute.
      if (!(error instanceof ConcurrentModificationError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** The integration's targets, read page by page with a Query on the tenant (targets are few per tenant). */
async function targetsOf(deps: Pick<IntegrationDeps, 'targets'>, tenantId: string, integrationId: string): Promise<Target[]> {
  const found: Target[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.targets.list(tenantId, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    found.push(...page.items.filter((t) => t.integrationId === integrationId));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}
