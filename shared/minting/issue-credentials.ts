import { ForbiddenError, LatchkeyError, NotFoundError } from '../kernel/errors.ts';
import {
  AwsCallError, GrantNotActiveError, GrantOutsideSetupError, IntegrationNotVerifiedError, IssuanceNotRecordedError, NoBastionError, UpstreamError,
} from './errors.ts';
import { type Actor, type ApprovedRequest, canRequest, isOpenGrant, isRequester } from '../requests/index.ts';
import { connectionInfo, tunnelInfo, type DatabaseConnection, type Tunnel } from './connection-info.ts';
import { LogAction, requestLogEntry } from '../grant-log/index.ts';
import { assertPackedSize, durationSecondsFor } from './minting.ts';
import {
  grantExcess, installedPermissionPolicy, sessionNameFor, sessionPolicyDocument, sessionTagsFor, sourceIdentityFor,
  type SessionPolicyInput, type SessionTag,
} from '../iam/index.ts';
import type { Principal } from '../kernel/principal.ts';
import { requireStepUp, type Target } from '../targets/index.ts';
import type { Integration } from '../integrations/index.ts';
import type { AssumedRole, SessionRecord, SsmSession } from './ports.ts';
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
 *    the session policy must be a subset of the permission policy the customer was handed (the setup baseline)
 *    → else a `credentials.failed` event and GrantOutsideSetupError, before any AWS call;
 * 4. one AssumeRole: ExternalId, RoleSessionName naming the request, SourceIdentity the requester, session tags,
 *    the remaining window clamped to 900–3600 s, the narrowing session policy; the packed size must leave headroom;
 * 5. sign the RDS token locally with those credentials (valid 15 minutes from signing);
 * 6. when asked, StartSession through the bastion (port forwarding to the endpoint);
 * 7. write ONE `credentials.issued` event (ids only, never a secret) and the session record in one transaction,
 *    conditional on the request being still approved at the version read; if that fails, end the SSM session and
 *    hand out nothing;
 * 8. an AWS refusal or failure in 4–6 writes a `credentials.failed` event (stage and AWS error code) → UpstreamError;
 * 9. counted: an issuance by engine and tunnel, an STS or SSM failure by operation and AWS error code.
 * Steps 3 (session policy) to 7 run through `step`, and `failed` is the one place their failures are handled.
 */
export async function issueCredentials(deps: MintingDeps, principal: Principal, input: IssueCredentialsInput): Promise<IssuedCredentials> {
  const attempt = await loadAndAuthorise(deps, principal, input);
  await step(attempt, 'session-policy', async () => assertWithinSetup(attempt));

  const assumed = await step(attempt, 'assume-role', () => assumeRole(attempt));
  const minted: Minted = { ...attempt, assumed };
  await step(minted, 'assume-role', async () => assertPackedSize(assumed.packedPolicySize));
  const token = await step(minted, 'sign-token', () => signToken(minted));
  const session = attempt.instanceId ? await step(minted, 'start-session', () => openTunnel(minted, attempt.instanceId!)) : undefined;

  const issuedAt = deps.clock.now();
  const issuance = issuanceOf(minted, token, session, issuedAt);
  await step({ ...minted, session }, 'record', () => deps.issuances.recordIssuance(attempt.request, attempt.request.version, issuance.entry, issuance.records));
  deps.metrics.credentialsIssued({ engine: attempt.target.engine, tunnel: session !== undefined }, { tenantId: attempt.request.tenantId, requestId: attempt.request.requestId });
  return issuance.credentials;
}

/** What every step shares, fixed once the caller is authorised: the grant, where it points, and what AssumeRole will send. */
type Attempt = {
  deps: MintingDeps;
  request: ApprovedRequest;
  actor: Actor;
  target: Target;
  integration: LinkedIntegration;
  /** Set when a tunnel was asked (and the target has a bastion). */
  instanceId?: string;
  localPortNumber: number;
  sessionName: string;
  sourceIdentity: string;
  tags: SessionTag[];
  durationSeconds: number;
  policy: SessionPolicyInput;
};
type Minted = Attempt & { assumed: AssumedRole };
type Stage = 'session-policy' | 'assume-role' | 'sign-token' | 'start-session' | 'record';

/** Steps 1–3: refusals here write nothing, because nothing was attempted yet. */
async function loadAndAuthorise(deps: MintingDeps, principal: Principal, input: IssueCredentialsInput): Promise<Attempt> {
  const request = await deps.requests.get(principal.tenantId, input.requestId);
  if (!request || !isRequester(principal, request)) throw new NotFoundError('The request');
  const now = deps.clock.now();
  if (!isOpenGrant(request, now)) throw new GrantNotActiveError(request.status, 'windowEnd' in request ? request.windowEnd : undefined);

  const { target, integration } = await linkedAccount(deps, request);
  // The grant was approved for someone who could ask for it; issuance re-checks that they still can
  // (a role or group removed in the IdP, a service's scope narrowed, the database user dropped).
  if (!canRequest(principal, target, request.databaseUser)) throw new ForbiddenError('You may no longer request this database user; ask an admin.');
  // The policy may want a fresh (or MFA-backed) sign-in to mint: refused before anything is attempted, so nothing is logged.
  requireStepUp(principal, target.policy, 'issue', now);
  const instanceId = input.ssm ? target.bastionInstanceId : undefined;
  if (input.ssm && !instanceId) throw new NoBastionError();

  return {
    deps,
    request,
    actor: { id: principal.id, kind: principal.kind },
    target,
    integration,
    ...(instanceId ? { instanceId } : {}),
    localPortNumber: input.ssm?.localPortNumber ?? target.port,
    sessionName: sessionNameFor(request),
    sourceIdentity: sourceIdentityFor(request.requesterId),
    tags: sessionTagsFor(request),
    durationSeconds: durationSecondsFor(request.windowEnd, now),
    policy: {
      region: target.region,
      accountId: target.accountId,
      resourceId: target.resourceId,
      databaseUser: request.databaseUser,
      windowEnd: request.windowEnd,
      ...(instanceId ? { ssm: { instanceId } } : {}),
    },
  };
}

/** A verified integration: its role is registered, so there is something to assume. */
type LinkedIntegration = Integration & { roleArn: string };

async function linkedAccount(deps: MintingDeps, request: ApprovedRequest): Promise<{ target: Target; integration: LinkedIntegration }> {
  // The request names the integration its target had: read both at once, and trust the hint only if the target agrees.
  const [target, hinted] = await Promise.all([
    deps.targets.get(request.tenantId, request.targetId),
    request.integrationId ? deps.integrations.get(request.tenantId, request.integrationId) : undefined,
  ]);
  if (!target) throw new NotFoundError('The target');
  if (!target.integrationId) throw new IntegrationNotVerifiedError('not_linked');
  const integration = hinted?.integrationId === target.integrationId ? hinted : await deps.integrations.get(request.tenantId, target.integrationId);
  if (!integration) throw new IntegrationNotVerifiedError('not_found');
  if (integration.status !== 'verified' || !integration.roleArn || !integration.externalId) {
    throw new IntegrationNotVerifiedError(integration.status === 'failed' ? 'failed' : 'pending');
  }
  if (integration.accountId !== target.accountId) throw new IntegrationNotVerifiedError('account_mismatch');
  return { target, integration: { ...integration, roleArn: integration.roleArn } };
}

/**
 * STS would intersect the session policy with the role's anyway; an excess means the role lacks the grant's
 * database user or bastion, which would surface later as a failed login. Without a setup baseline nothing shows
 * what the role allows, so that is refused too.
 */
function assertWithinSetup({ integration, policy }: Attempt): void {
  const resources = integration.setup?.resources;
  const installed = resources ? installedPermissionPolicy(resources) : undefined;
  const excess = grantExcess(policy, installed);
  if (excess.length > 0) throw new GrantOutsideSetupError(excess, resources !== undefined);
}

function assumeRole(a: Attempt): Promise<AssumedRole> {
  return a.deps.roleAssumer.assume({
    roleArn: a.integration.roleArn,
    externalId: a.integration.externalId,
    sessionName: a.sessionName,
    sourceIdentity: a.sourceIdentity,
    tags: a.tags,
    durationSeconds: a.durationSeconds,
    // Compact JSON: STS counts policy bytes against the packed-size budget.
    policy: JSON.stringify(sessionPolicyDocument(a.policy)),
  });
}

function signToken({ deps, target, request, assumed }: Minted): Promise<string> {
  return deps.tokenSigner.sign({ hostname: target.endpoint, port: target.port, region: target.region, username: request.databaseUser, credentials: assumed.credentials });
}

function openTunnel({ deps, target, assumed, localPortNumber }: Minted, instanceId: string): Promise<SsmSession> {
  return deps.sessionStarter.start(assumed.credentials, { region: target.region, instanceId, host: target.endpoint, portNumber: target.port, localPortNumber });
}

/** Step 7's payload, pure: the one `credentials.issued` event, the session record, and what the caller gets once both are written. */
function issuanceOf(minted: Minted, token: string, session: SsmSession | undefined, issuedAt: Date) {
  const { request, target, integration, assumed, instanceId, localPortNumber } = minted;
  const tokenExpiresAt = new Date(Math.min(issuedAt.getTime() + TOKEN_LIFETIME_MS, Date.parse(request.windowEnd)));
  const tunnel = session && instanceId ? { session, instanceId } : undefined;
  const records: SessionRecord[] = tunnel
    ? [{ tenantId: request.tenantId, requestId: request.requestId, sessionId: tunnel.session.sessionId, region: target.region, instanceId: tunnel.instanceId, integrationId: integration.integrationId, startedAt: issuedAt.toISOString(), status: 'active' }]
    : [];
  const entry = requestLogEntry(request, LogAction.credentialsIssued, minted.actor, issuedAt, 'success', {
    ...auditDetails(minted),
    ...tagsNotFields(minted),
    durationSeconds: minted.durationSeconds,
    credentialsExpireAt: assumed.credentials.expiration.toISOString(),
    tokenExpiresAt: tokenExpiresAt.toISOString(),
    windowEnd: request.windowEnd,
    ...(assumed.packedPolicySize !== undefined ? { packedPolicySize: assumed.packedPolicySize } : {}),
    ...(tunnel ? { ssmSessionId: tunnel.session.sessionId, instanceId: tunnel.instanceId, localPortNumber } : {}),
  });
  const credentials: IssuedCredentials = {
    requestId: request.requestId,
    issuedAt: issuedAt.toISOString(),
    windowEnd: request.windowEnd,
    audit: { assumedRoleId: assumed.assumedRoleId, sessionName: minted.sessionName, sourceIdentity: minted.sourceIdentity, ...(session ? { ssmSessionId: session.sessionId } : {}) },
    database: connectionInfo(target, request.databaseUser, token, tokenExpiresAt),
    ...(tunnel ? { ssm: tunnelInfo(target, request.databaseUser, { region: target.region, instanceId: tunnel.instanceId, localPortNumber, ...tunnel.session }) } : {}),
  };
  return { entry, records, credentials };
}

/**
 * The session tags are the event's own tenantId, requestId, requesterId, targetId and
 * databaseUser (session-naming.ts), so the event spells out only a tag whose value is
 * not its field's (shortened or hashed to be a tag value, e.g. `auth0|alice`). An event
 * over 1 KB costs twice the write capacity, in the table and in every index it is in.
 */
function tagsNotFields({ tags, request }: Attempt): { sessionTags?: Record<string, string> } {
  const fields = [request.tenantId, request.requestId, request.requesterId, request.targetId, request.databaseUser];
  const differing = tags.filter((t, i) => t.value !== fields[i]);
  return differing.length ? { sessionTags: Object.fromEntries(differing.map((t) => [t.key, t.value])) } : {};
}

/**
 * Identifiers only. Never credentials, the token, the TokenValue or the external id.
 * Once the role is assumed, its assumed-role id (`RoleId:sessionName`, as CloudTrail
 * shows it) names the session; the assumed-role ARN is `roleArn`'s role in `sts`
 * with that session name: neither the name nor the ARN is repeated.
 */
function auditDetails({ integration, sessionName, sourceIdentity, assumed }: Attempt & { assumed?: AssumedRole }): Record<string, unknown> {
  return {
    integrationId: integration.integrationId,
    roleArn: integration.roleArn,
    ...(assumed ? { assumedRoleId: assumed.assumedRoleId } : { sessionName }),
    sourceIdentity,
  };
}

type Progress = Attempt & { assumed?: AssumedRole; session?: SsmSession | undefined };

async function step<T>(progress: Progress, stage: Stage, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw await failed(progress, stage, error);
  }
}

/**
 * The one place a failed step is handled: write its `credentials.failed` event (identifiers, the stage and an
 * error code; for AWS only its code and request id) and return what the caller should see. A failed record
 * means no event and no credentials, so the tunnel is closed before anyone can use it.
 */
async function failed(progress: Progress, stage: Stage, error: unknown): Promise<unknown> {
  const { deps, request, actor, assumed, session } = progress;
  const aws = stage !== 'record' && error instanceof AwsCallError ? error : undefined;
  const code = aws?.awsCode ?? (error instanceof LatchkeyError ? error.code : stage === 'record' ? 'store_unavailable' : 'InternalError');
  if (aws && aws.service !== 'rds-db') {
    deps.metrics.awsCallFailed({ service: aws.service, operation: aws.operation, errorCode: aws.awsCode }, { tenantId: request.tenantId, requestId: request.requestId });
  }
  const terminated = stage === 'record' && session && assumed
    ? await deps.sessionStarter.terminate(assumed.credentials, progress.target.region, session.sessionId).then(() => true, () => false)
    : undefined;
  await deps.issuances
    .recordFailure(requestLogEntry(request, LogAction.credentialsFailed, actor, deps.clock.now(), 'failure', {
      ...auditDetails(progress),
      stage,
      ...(aws ? { service: aws.service, operation: aws.operation, awsCode: aws.awsCode, ...(aws.awsRequestId ? { awsRequestId: aws.awsRequestId } : {}) } : { error: code }),
      ...(error instanceof GrantOutsideSetupError ? { excess: (error.details as { excess: unknown }).excess } : {}),
      ...(terminated !== undefined ? { ssmSessionId: session!.sessionId, ssmSessionTerminated: terminated } : {}),
    }))
    // The store may be down (it may be why we are here); the caller still gets the first error.
    .catch(() => undefined);
  if (aws) return new UpstreamError(aws.service, aws.operation, aws.awsCode);
  if (stage === 'record' && !(error instanceof LatchkeyError)) return new IssuanceNotRecordedError({ cause: error });
  return error;
}
