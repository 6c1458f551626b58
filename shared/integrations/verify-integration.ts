import { RoleNotRegisteredError } from './errors.ts';
import { LogAction } from '../grant-log/index.ts';
import { newExternalId, withVerification, type Integration, type Verification } from './integration.ts';
import { sessionNameFor, sessionTagsFor, sourceIdentityFor } from '../iam/index.ts';
import type { Principal } from '../kernel/principal.ts';
import { verdict, type ProbeResults } from './role-verification.ts';
import type { ProbeRequest } from './ports.ts';
import type { IntegrationDeps } from './deps.ts';
import { getIntegration, integrationLogEntry } from './use-cases.ts';

/**
 * Verify the customer's role (on demand, as often as asked):
 * 1. admin only; the integration must exist and have a role registered;
 * 2. probe it the way issuance will call AssumeRole — session name, SourceIdentity (the admin) and
 *    the same session-tag keys — with the external ID (must be assumed), without it and with a wrong
 *    one, and with it from another principal of the broker's account (all three must be refused); see
 *    role-verification.ts for the verdict;
 * 3. pending|verified|failed → verified or failed with a reason and a message saying how to fix it,
 *    written conditionally on the version read (a role changed meanwhile makes this verification moot),
 *    with an `integration.verified` or `integration.verification_failed` event.
 */
export async function verifyIntegration(
  deps: Pick<IntegrationDeps, 'clock' | 'integrations' | 'roleProbe' | 'settings'>,
  principal: Principal,
  integrationId: string,
): Promise<{ integration: Integration; verification: Verification }> {
  const integration = await getIntegration(deps, principal, integrationId);
  const roleArn = integration.roleArn;
  if (!roleArn) throw new RoleNotRegisteredError();

  // The probe session looks like an issuance's: same tag keys, same fitting rules, a name that says "verify".
  const probeOf = (externalId: string | undefined, withTags = true): ProbeRequest => ({
    roleArn,
    ...(externalId !== undefined ? { externalId } : {}),
    sessionName: sessionNameFor({ requestId: `verify-${integrationId}` }),
    sourceIdentity: sourceIdentityFor(principal.id),
    tags: withTags
      ? sessionTagsFor({ tenantId: principal.tenantId, requestId: `verify-${integrationId}`, requesterId: principal.id, targetId: integrationId, databaseUser: 'verify' })
      : [],
  });

  const withExternalId = await deps.roleProbe.probe(probeOf(integration.externalId));
  const results: ProbeResults = {
    withExternalId,
    ...(withExternalId.outcome === 'denied' && withExternalId.action === 'sts:TagSession'
      ? { withExternalIdWithoutTags: await deps.roleProbe.probe(probeOf(integration.externalId, false)) }
      : {}),
    withoutExternalId: await deps.roleProbe.probe(probeOf(undefined)),
    // A fresh random ID of the same shape: a trust policy that accepts "any" external ID must fail here.
    wrongExternalId: await deps.roleProbe.probe(probeOf(newExternalId())),
    // The right external ID from the wrong principal: a trust policy broader than the broker role must fail here.
    fromAnotherPrincipal: await deps.roleProbe.probeFromAnotherPrincipal(probeOf(integration.externalId)),
  };

  const now = deps.clock.now().toISOString();
  const verification = verdict(results, {
    roleArn,
    accountId: integration.accountId,
    ...(deps.settings.brokerRoleArn ? { brokerRoleArn: deps.settings.brokerRoleArn } : {}),
    at: now,
    by: principal.id,
  });
  const next = withVerification(integration, verification);
  const verified = verification.outcome === 'verified';
  await deps.integrations.save(
    next,
    integration.version,
    integrationLogEntry(principal, now, verified ? LogAction.integrationVerified : LogAction.integrationVerificationFailed, verified ? 'success' : 'failure', {
      integrationId,
      roleArn,
      previousStatus: integration.status,
      ...(verification.reason ? { reason: verification.reason } : {}),
      checks: verification.checks,
    }),
  );
  return { integration: next, verification };
}
