import { createHash } from 'node:crypto';
import { canonicalJson } from '../kernel/canonical-json.ts';

export const LogAction = {
  requestCreated: 'request.created',
  approvalRecorded: 'request.approval_recorded',
  requestApproved: 'request.approved',
  requestDenied: 'request.denied',
  requestCancelled: 'request.cancelled',
  requestRevoked: 'request.revoked',
  /** A grant opened at once under the policy's break-glass rule: what notifiers tell every approver and security about. */
  breakGlassOpened: 'request.break_glass_opened',
  breakGlassReviewed: 'request.break_glass_reviewed',
  requestExpired: 'request.expired',
  requestEnded: 'request.ended',
  extensionRequested: 'extension.requested',
  extensionApprovalRecorded: 'extension.approval_recorded',
  extensionApproved: 'extension.approved',
  extensionDenied: 'extension.denied',
  credentialsIssued: 'credentials.issued',
  credentialsFailed: 'credentials.failed',
  sessionsTerminated: 'ssm.sessions_terminated',
  dbSessionsTerminated: 'db.sessions_terminated',
  dbSessionsTerminationFailed: 'db.sessions_termination_failed',
  targetCreated: 'target.created',
  policyUpdated: 'policy.updated',
  targetUpdated: 'target.updated',
  serviceRegistered: 'service.registered',
  integrationCreated: 'integration.created',
  integrationRoleRegistered: 'integration.role_registered',
  integrationVerified: 'integration.verified',
  integrationVerificationFailed: 'integration.verification_failed',
  integrationSetupIssued: 'integration.setup_issued',
  logCheckpoint: 'log.checkpoint',
  /** A Slack click that was signed by Slack but refused (not linked, the requester, not an approver, …): changes nothing. */
  slackActionRefused: 'slack.action_refused',
} as const;
export type LogAction = (typeof LogAction)[keyof typeof LogAction];

/** What the domain says happened. Never holds a token, secret key or session token. */
export type LogEntry = {
  tenantId: string;
  at: string;
  action: LogAction;
  actorId: string;
  actorKind: 'user' | 'service' | 'system';
  outcome: 'success' | 'failure';
  requestId?: string;
  targetId?: string;
  databaseUser?: string;
  requesterId?: string;
  /** The ticket reference of the request (its policy's ticketPattern), on the event that created it. */
  ticket?: string;
  /** On every event of a break-glass request, so any filter or export shows it. */
  breakGlass?: true;
  details?: Record<string, unknown>;
};

/** An event about one request: who did what to it, when, with what outcome. */
export function requestLogEntry(
  request: { tenantId: string; requestId: string; targetId: string; databaseUser: string; requesterId: string; breakGlass?: unknown },
  action: LogAction,
  actor: { id: string; kind: LogEntry['actorKind'] },
  at: Date,
  outcome: LogEntry['outcome'] = 'success',
  details?: Record<string, unknown>,
): LogEntry {
  return {
    tenantId: request.tenantId,
    at: at.toISOString(),
    action,
    actorId: actor.id,
    actorKind: actor.kind,
    outcome,
    requestId: request.requestId,
    targetId: request.targetId,
    databaseUser: request.databaseUser,
    requesterId: request.requesterId,
    ...(request.breakGlass ? { breakGlass: true as const } : {}),
    ...(details ? { details } : {}),
  };
}

/** A log entry as stored: numbered within its chain (chains.ts) and linked to the one before it there. */
export type LogEvent = LogEntry & { seq: number; prevHash: string; hash: string };

export const genesisHash = '0'.repeat(64);

export function chainEvent(entry: LogEntry, seq: number, prevHash: string): LogEvent {
  const body = { ...entry, seq, prevHash };
  const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return { ...body, hash };
}

/** The system's own entry recording every chain's head (see chains.ts); it changes no state. */
export function checkpointEntry(tenantId: string, heads: Array<{ chain: number; seq: number; hash: string }>, at: Date): LogEntry {
  return { tenantId, at: at.toISOString(), action: 'log.checkpoint', actorId: 'latchkey', actorKind: 'system', outcome: 'success', details: { heads } };
}
