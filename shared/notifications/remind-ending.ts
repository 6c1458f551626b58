import { noTenantScope } from '../kernel/ports.ts';
import type { RequestStore } from '../requests/index.ts';
import { endingSoonDm } from './messages.ts';
import type { DeliveryKey } from './ports.ts';
import type { NotifierDeps } from './deliver-event.ts';

/** How long before a grant's end its requester is told. */
export const endingSoonMinutes = 15;

export type ReminderDeps = Omit<NotifierDeps, 'requests'> & { requests: Pick<RequestStore, 'get' | 'listDue'> };
export type ReminderResult = { reminded: number; skipped: number; failed: number };

/**
 * Scheduled: the requester of each open grant that ends within endingSoonMinutes gets a DM, once per window
 * end (an extension moves the end, and earns its own reminder):
 * 1. the deadline index (the sweeper's) lists what ends before now + endingSoonMinutes;
 * 2. only approved grants still open, whose end is that deadline, of a person with a confirmed Slack link;
 * 3. the same delivery ledger as the notifier: sent once, a failure retried at the next run, parked at maxAttempts.
 */
export async function remindEndingGrants(deps: ReminderDeps): Promise<ReminderResult> {
  const now = deps.clock.now();
  const result: ReminderResult = { reminded: 0, skipped: 0, failed: 0 };
  for await (const due of deps.requests.listDue(new Date(now.getTime() + endingSoonMinutes * 60_000), 1)) {
    if (Date.parse(due.deadline) <= now.getTime()) continue;
    // Only the listing spans tenants: each grant is read, told and recorded as its own tenant.
    const outcome = await (deps.asTenant ?? noTenantScope)(due.tenantId, () => remindOne(deps, due));
    if (outcome) result[outcome]++;
  }
  return result;
}

/** One due grant, in its tenant's scope: what it added to the result, or nothing when it is not for a reminder. */
async function remindOne(deps: ReminderDeps, due: { tenantId: string; requestId: string; deadline: string }): Promise<keyof ReminderResult | undefined> {
  const request = await deps.requests.get(due.tenantId, due.requestId);
  if (request?.status !== 'approved' || request.windowEnd !== due.deadline || request.requesterKind !== 'user') return undefined;
  const [contact, target] = await Promise.all([deps.contacts.get(request.tenantId, request.requesterId), deps.targets.get(request.tenantId, request.targetId)]);
  const user = contact?.slackConfirmedAt ? contact.slackUserId : undefined;
  if (!user || !target) return undefined;
  const key: DeliveryKey = { tenantId: request.tenantId, eventId: `ending:${request.requestId}:${request.windowEnd}`, channel: `dm:${user}` };
  if (await deps.ledger.settled(key)) return 'skipped';
  try {
    await deps.slack.postMessage(await deps.slack.openDm(user), endingSoonDm(request, target));
    await deps.ledger.markSent(key, deps.clock.now().toISOString());
    return 'reminded';
  } catch (error) {
    const at = deps.clock.now().toISOString();
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error').slice(0, 300);
    const attempts = await deps.ledger.recordFailure(key, message, at);
    if (attempts >= deps.maxAttempts) await deps.ledger.park({ ...key, action: 'grant.ending_soon', requestId: request.requestId, attempts, lastError: message, parkedAt: at });
    return 'failed';
  }
}
