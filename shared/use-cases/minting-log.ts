import type { AccessRequest } from '../domain/access-request.ts';
import { requestLogEntry, type LogEntry } from '../domain/grant-log.ts';
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
  return requestLogEntry(request, action, actor, at, outcome, details);
}
