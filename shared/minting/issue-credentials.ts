import { ForbiddenError, LatchkeyError, NotFoundError } from '../kernel/errors.ts';
import { AwsCallError, GrantNotActiveError, IntegrationNotVerifiedError, IssuanceNotRecordedError, NoBastionError, UpstreamError } from './errors.ts';
import { type Actor, type ApprovedRequest, canRequest, isOpenGrant, isRequester } from '../requests/index.ts';
import { connectionInfo, tunnelInfo, type DatabaseConnection, type Tunnel } from './connection-info.ts';
import { LogAction, requestLogEntry } from '../grant-log/index.ts';
import { assertPackedSize, durationSecondsFor } from './minting.ts';
import { sessionNameFor, sessionPolicyFor, sessionTagsFor, sourceIdentityFor, type SessionTag } from '../iam/index.ts';
import type { Principal } from '../kernel/principal.ts';
import type { Target } from '../targets/index.ts';
import type { AssumedRole, Integration, SessionRecord, SsmSession } from './ports.ts';
import type { MintingDeps } from './deps.ts';

export type IssueCredentialsInput = { requestId: string; ssm?: { localPortNumber?: number } };

export type IssuedCredentials = {
  requestId: string;
  issuedAt: string;
  windowEnd: string;
  /** What the customer's CloudTrail shows for this issuance. */
  audit: { assumedRoleId: string; sessionName: string; sourceIdentity: string; ssmSessionId?: string };
  database: DatabaseConnection;
  ssm?: Tunnel;
};

const TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * Mint credentials for an open grant:
 * 1. load the request in the caller's tenant; absent, or the caller is not its requester → 404 (invariant 1: ids leak nothing);
 * 2. it must be an open grant at the injected clock (approved, window not ended) → else GrantNotActiveError;
 * 3. its target must be linked to a `verified` integration of the same account → else IntegrationNotVerifiedError;
 *    and the requester must still be allowed to request this database user (canRequest) → else 403;
 *    an SSM tunnel asked for a target without a bastion → NoBastionError, before any AWS call;
 * 4. one AssumeRole: ExternalId, RoleSessionName naming the request, SourceIdentity the requester, session tags,
 *    the remaining window clamped to 900–3600 s, the narrowing session policy; the packed size must leave headroom;
 * 5. sign the RDS token locally with those credentials (valid 15 minutes from signing);
 * 6. when asked, StartSession through the bastion (port forwarding to the endpoint);
 * 7. write ONE `credentials.issued` event (ids only, never a secret) and the session record in one transaction,
 *    conditional on the request being still approved at the version read; if that fails, end the SSM session and
 *    hand out nothing;
 * 8. an AWS refusal or failure in 4–6 writes a `credentials.failed` event (stage and AWS error code) → UpstreamError.
 */
export async function issueCredentials(deps: MintingDeps, principal: Principal, input: IssueCredentialsInput): Promise<IssuedCredentials> {
  const request = await deps.requests.get(principal.tenantId, input.requestId);
  if (!request || !isRequester(principal, request)) throw new NotFoundError('The request');

  const now = deps.clock.now();
  if (!isOpenGrant(request, now)) throw new GrantNotActiveError(request.status, 'windowEnd' in request ? request.windowEnd : undefined);

  const { target, integration } = await linkedAccount(deps, request);
  // The grant was approved for someone who could ask for it; issuance re-checks that they still can
  // (a role or group removed in the IdP, a service's scope narrowed, the database user dropped).
  if (!canRequest(principal, target, request.databaseUser)) throw new ForbiddenError('You may no longer request this database user; ask an admin.');
  const instanceId = input.ssm ? target.bastionInstanceId : undefined;
  if (input.ssm && !instanceId) throw new NoBastionError();

  const actor: Actor = { id: principal.id, kind: principal.kind };
  const sessionName = sessionNameFor(request);
  const sourceIdentity = sourceIdentityFor(request.requesterId);
  const tags = sessionTagsFor(request);
  const durationSeconds = durationSecondsFor(request.windowEnd, now);
  const attempt = { request, actor, deps, integration, sessionName, sourceIdentity };

  let assumed: AssumedRole;
  try {
    assumed = await deps.roleAssumer.assume({
      roleArn: integration.roleArn,
      externalId: integration.externalId,
      sessionName,
      sourceIdentity,
      tags,
      durationSeconds,
      policy: sessionPolicyFor({
        region: target.region,
        accountId: target.accountId,
        resourceId: target.resourceId,
        databaseUser: request.databaseUser,
        windowEnd: request.windowEnd,
        ...(instanceId ? { ssm: { instanceId } } : {}),
      }),
    });
  } catch (error) {
    throw await failed(attempt, 'assume-role', error);
  }
  try {
    assertPackedSize(assumed.packedPolicySize);
  } catch (error) {
    throw await failed({ ...attempt, assumed }, 'assume-role', error);
  }

  let token: string;
  try {
    token = await deps.tokenSigner.sign({ hostname: target.endpoint, port: target.port, region: target.region, username: request.databaseUser, credentials: assumed.credentials });
  } catch (error) {
    throw await failed({ ...attempt, assumed }, 'sign-token', error);
  }

  const localPortNumber = input.ssm?.localPortNumber ?? target.port;
  let session: SsmSession | undefined;
  if (instanceId) {
    try {
      session = await deps.sessionStarter.start(assumed.credentials, { region: target.region, instanceId, host: target.endpoint, portNumber: target.port, localPortNumber });
    } catch (error) {
      throw await failed({ ...attempt, assumed }, 'start-session', error);
    }
  }

  const issuedAt = deps.clock.now();
  const tokenExpiresAt = new Date(Math.min(issuedAt.getTime() + TOKEN_LIFETIME_MS, Date.parse(request.windowEnd)));
  const records: SessionRecord[] =
    session && instanceId
      ? [{ tenantId: request.tenantId, requestId: request.requestId, sessionId: session.sessionId, region: target.region, instanceId, integrationId: integration.integrationId, startedAt: issuedAt.toISOString(), status: 'active' }]
      : [];
  const entry = requestLogEntry(request, LogAction.credentialsIssued, actor, issuedAt, 'success', {
    ...auditDetails(attempt, assumed),
    sessionTags: Object.fromEntries(tags.map((t: SessionTag) => [t.key, t.value])),
    durationSeconds,
    credentialsExpireAt: assumed.credentials.expiration.toISOString(),
    tokenExpiresAt: tokenExpiresAt.toISOString(),
    windowEnd: request.windowEnd,
    ...(assumed.packedPolicySize !== undefined ? { packedPolicySize: assumed.packedPolicySize } : {}),
    ...(session && instanceId ? { ssmSessionId: session.sessionId, instanceId, localPortNumber } : {}),
  });

  try {
    await deps.issuances.recordIssuance(request, request.version, entry, records);
  } catch (error) {
    // No event, no credentials: the minted ones are dropped, and the tunnel is closed before anyone can use it.
    const terminated = session ? await deps.sessionStarter.terminate(assumed.credentials, target.region, session.sessionId).then(() => true, () => false) : undefined;
    const code = error instanceof LatchkeyError ? error.code : 'store_unavailable';
    await deps.issuances
      .recordFailure(requestLogEntry(request, LogAction.credentialsFailed, actor, deps.clock.now(), 'failure', {
        ...auditDetails(attempt, assumed),
        stage: 'record',
        error: code,
        ...(session ? { ssmSessionId: session.sessionId, ssmSessionTerminated: terminated } : {}),
      }))
      .catch(() => undefined); // the store that just failed may well fail again; the caller still gets the first error
    throw error instanceof LatchkeyError ? error : new IssuanceNotRecordedError({ cause: error });
  }

  return {
    requestId: request.requestId,
    issuedAt: issuedAt.toISOString(),
    windowEnd: request.windowEnd,
    audit: { assumedRoleId: assumed.assumedRoleId, sessionName, sourceIdentity, ...(session ? { ssmSessionId: session.sessionId } : {}) },
    database: connectionInfo(target, request.databaseUser, token, tokenExpiresAt),
    ...(session && instanceId ? { ssm: tunnelInfo(target, request.databaseUser, { region: target.region, instanceId, localPortNumber, ...session }) } : {}),
  };
}

async function linkedAccount(deps: MintingDeps, request: ApprovedRequest): Promise<{ target: Target; integration: Integration }> {
  const target = await deps.targets.get(request.tenantId, request.targetId);
  if (!target) throw new NotFoundError('The target');
  if (!target.integrationId) throw new IntegrationNotVerifiedError('not_linked');
  const integration = await deps.integrations.get(request.tenantId, target.integrationId);
  if (!integration) throw new IntegrationNotVerifiedError('not_found');
  if (integration.status !== 'verified' || !integration.roleArn || !integration.externalId) {
    throw new IntegrationNotVerifiedError(integration.status === 'failed' ? 'failed' : 'pending');
  }
  if (integration.accountId !== target.accountId) throw new IntegrationNotVerifiedError('account_mismatch');
  return { target, integration };
}

type Attempt = {
  request: ApprovedRequest;
  actor: Actor;
  deps: MintingDeps;
  integration: Integration;
  sessionName: string;
  sourceIdentity: string;
  assumed?: AssumedRole;
};

/** Identifiers only. Never credentials, the token, the TokenValue or the external id. */
function auditDetails(attempt: Attempt, assumed?: AssumedRole): Record<string, unknown> {
  const role = assumed ?? attempt.assumed;
  return {
    integrationId: attempt.integration.integrationId,
    roleArn: attempt.integration.roleArn,
    sessionName: attempt.sessionName,
    sourceIdentity: attempt.sourceIdentity,
    ...(role ? { assumedRoleId: role.assumedRoleId, assumedRoleArn: role.assumedRoleArn } : {}),
  };
}

/** Writes the `credentials.failed` event and returns what the caller should see. */
async function failed(attempt: Attempt, stage: 'assume-role' | 'sign-token' | 'start-session', error: unknown): Promise<unknown> {
  const { deps, request, actor } = attempt;
  const aws = error instanceof AwsCallError ? error : undefined;
  const code = aws?.awsCode ?? (error instanceof LatchkeyError ? error.code : 'InternalError');
  await deps.issuances
    .recordFailure(requestLogEntry(request, LogAction.credentialsFailed, actor, deps.clock.now(), 'failure', {
      ...auditDetails(attempt),
      stage,
      ...(aws ? { service: aws.service, operation: aws.operation, awsCode: aws.awsCode, ...(aws.awsRequestId ? { awsRequestId: aws.awsRequestId } : {}) } : { error: code }),
    }))
    .catch(() => undefined); // reporting AWS's refusal matters more than a log store that is down too
  return aws ? new UpstreamError(aws.service, aws.operation, aws.awsCode) : error;
}
