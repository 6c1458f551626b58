import type { AccessRequest } from '../domain/access-request.ts';
import type { LogEntry } from '../domain/grant-log.ts';
import type { Actor } from '../domain/transitions.ts';

/** A minting event about one request. `details` holds identifiers only, never a credential, token or external id. */
export function mintingLogEntry(
  request: AccessRequest,
  actor: Actor,
  at: Date,
  action: LogEntry['action'],
  outcome: LogEntry['outcome'],
  details: Record<string, unknown>,
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
    details,
  };
}
