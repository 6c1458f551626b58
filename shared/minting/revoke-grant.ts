import { type AccessRequest, type DecisionInput, revokeRequest } from '../requests/index.ts';
import type { Principal } from '../kernel/principal.ts';
import type { MintingDeps } from './deps.ts';
import { terminateGrantSessions, type TerminationResult } from './terminate-grant-sessions.ts';
import { terminateDatabaseSessions, type DatabaseTermination } from './terminate-database-sessions.ts';

/**
 * Revoke a grant, then end what it left running:
 * 1. the revocation (a named approver or an admin; conditional write + `request.revoked`);
 *    from here on no credentials are issued for it (issuance checks the grant is open);
 * 2. its active SSM sessions are terminated through the customer's role, with one
 *    `ssm.sessions_terminated` event — a failure there is logged as a failure event and
 *    reported, it does not undo the revocation;
 * 3. where the target's policy ends sessions, its live database sessions are ended at once
 *    (`db.sessions_terminated`, or `db.sessions_termination_failed` and retried by the sweeper).
 */
export async function revokeGrant(
  deps: MintingDeps,
  principal: Principal,
  input: DecisionInput,
): Promise<{ request: AccessRequest; sessions: TerminationResult; database: DatabaseTermination }> {
  const request = await revokeRequest(deps, principal, input);
  const sessions = await terminateGrantSessions(deps, principal.tenantId, request.requestId, 'revoked', principal);
  const database = await terminateDatabaseSessions(deps, principal.tenantId, request.requestId, { actor: principal, immediate: true });
  return { request, sessions, database };
}
