import type { LogEvent } from '../grant-log/index.ts';
import { noTenantScope, type Clock, type TenantScope } from '../kernel/ports.ts';
import type { AccessRequest, RequestStore } from '../requests/index.ts';
import type { Target, TargetStore } from '../targets/index.ts';
import { approverEmail, breakGlassEmail, decisionDm, requesterEmail, requestMessage, type Links } from './messages.ts';
import type { ContactStore, DeliveryKey, DeliveryLedger, Mailer, NotificationSecrets, NotificationSettings, NotificationSettingsStore, SlackApi, WebhookSender } from './ports.ts';
import { signWebhook, webhookEventHeader, webhookSecret, webhookSignatureHeader } from './webhook-signature.ts';

export type NotifierDeps = {
  clock: Clock;
  requests: Pick<RequestStore, 'get'>;
  targets: Pick<TargetStore, 'get'>;
  settings: Pick<NotificationSettingsStore, 'get'>;
  contacts: Pick<ContactStore, 'get'>;
  ledger: DeliveryLedger;
  slack: SlackApi;
  mailer: Mailer;
  webhooks: WebhookSender;
  secrets: NotificationSecrets;
  links: Links;
  /** Failed attempts of one delivery before it is parked for an admin (GET /notifications/failures). */
  maxAttempts: number;
  /** Runs one event's reads and writes as its tenant (tenant isolation by IAM, docs/tenant-isolation.md). */
  asTenant?: TenantScope;
};

/** The grant-log actions people hear about; the rest (issuances, targets, checkpoints) go nowhere. */
export const notifiableActions: ReadonlySet<string> = new Set([
  'request.created',
  'request.break_glass_opened',
  'request.break_glass_reviewed',
  'request.approval_recorded',
  'request.approved',
  'request.denied',
  'request.cancelled',
  'request.expired',
  'request.revoked',
  'request.ended',
  'extension.requested',
  'extension.approved',
  'extension.denied',
]);

const toRequester = new Set(['request.approved', 'request.denied', 'request.expired', 'request.revoked', 'extension.approved', 'extension.denied']);

type Delivery = { channel: string; send: () => Promise<void> };
export type DeliveryOutcome = { sent: string[]; skipped: string[]; failed: string[]; parked: string[] };

/** Some delivery of the event failed and may succeed later: the stream record is to be delivered again. */
export class DeliveryIncompleteError extends Error {
  constructor(readonly outcome: DeliveryOutcome) {
    super(`deliveries still to retry: ${outcome.failed.join(', ')}`);
  }
}

/**
 * Delivers one grant-log event to every channel that should hear of it, at least once and idempotently:
 * 1. only notifiable request events, read with the request's and target's current state;
 * 2. plan one delivery per channel (Slack channel posts or updates, approvers' DMs, emails, the requester's DM and
 *    email, every tenant webhook), each keyed by (event, channel);
 * 3. skip what the ledger has as sent or parked; send the rest, each on its own, recording it sent;
 * 4. a failure is counted; the maxAttempts-th parks the delivery; any delivery left to retry fails the whole event
 *    (DeliveryIncompleteError), so the stream hands it back, and only the failed channels go out again.
 * Decisions never wait for any of this: the event is already committed when the stream carries it.
 */
export async function deliverEvent(deps: NotifierDeps, event: LogEvent): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { sent: [], skipped: [], failed: [], parked: [] };
  if (!notifiableActions.has(event.action) || !event.requestId) return outcome;
  const [request, settings] = await Promise.all([deps.requests.get(event.tenantId, event.requestId), deps.settings.get(event.tenantId)]);
  const target = request && (await deps.targets.get(event.tenantId, request.targetId));
  if (!request || !target) return outcome;

  const deliveries = [...(await slackAndEmail(deps, event, request, target, settings)), ...(await webhookDeliveries(deps, event, request, settings?.webhooks ?? []))];
  for (const delivery of deliveries) {
    const key: DeliveryKey = { tenantId: event.tenantId, eventId: event.hash, channel: delivery.channel };
    if (await deps.ledger.settled(key)) {
      outcome.skipped.push(delivery.channel);
      continue;
    }
    try {
      await delivery.send();
      await deps.ledger.markSent(key, deps.clock.now().toISOString());
      outcome.sent.push(delivery.channel);
    } catch (error) {
      const at = deps.clock.now().toISOString();
      const message = describe(error);
      const attempts = await deps.ledger.recordFailure(key, message, at);
      if (attempts >= deps.maxAttempts) {
        await deps.ledger.park({ ...key, action: event.action, requestId: request.requestId, attempts, lastError: message, parkedAt: at });
        outcome.parked.push(delivery.channel);
      } else outcome.failed.push(delivery.channel);
    }
  }
  if (outcome.failed.length > 0) throw new DeliveryIncompleteError(outcome);
  return outcome;
}

// What an admin may read of a failure: the error's name and message, cut short (never a body, which may echo a secret).
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error').slice(0, 300);

async function slackAndEmail(deps: NotifierDeps, event: LogEvent, request: AccessRequest, target: Target, settings: NotificationSettings | undefined): Promise<Delivery[]> {
  const { notify } = target.policy;
  const out: Delivery[] = [];
  // A break-glass grant is announced by its break_glass_opened event (below), not as a request to decide.
  if (event.action === 'request.created' && !request.breakGlass) {
    out.push(...(await approverDeliveries(deps, request, target, notify.slackChannels, approverEmail)));
  } else if (event.action === 'request.break_glass_opened') {
    // At once, to every approver channel and the tenant's security channel; no buttons (requestMessage).
    const channels = [...new Set([...notify.slackChannels, ...(settings?.securityChannel ? [settings.securityChannel] : [])])];
    out.push(...(await approverDeliveries(deps, request, target, channels, breakGlassEmail)));
  } else if (event.action !== 'request.created') {
    // Every later event re-renders the request's messages from its current state (so updates commute).
    for (const post of await deps.ledger.slackPosts(request.tenantId, request.requestId)) {
      out.push({ channel: `update:${post.channel}`, send: () => deps.slack.updateMessage(post.channel, post.ts, requestMessage(request, target, deps.links)) });
    }
  }
  if (toRequester.has(event.action) && request.requesterKind === 'user') {
    const contact = await deps.contacts.get(request.tenantId, request.requesterId);
    const user = contact?.slackConfirmedAt ? contact.slackUserId : undefined;
    if (user) out.push({ channel: `dm:${user}`, send: async () => void (await deps.slack.postMessage(await deps.slack.openDm(user), decisionDm(request, target, deps.links))) });
    if (notify.email && contact?.email) {
      const address = contact.email;
      out.push({ channel: `email:${address}`, send: async () => void (await deps.mailer.send(requesterEmail(address, request, target, deps.links))) });
    }
  }
  return out;
}

/** The request's message to each channel, and (as the policy asks) to approvers' DMs and approvers' mail. */
async function approverDeliveries(deps: NotifierDeps, request: AccessRequest, target: Target, channels: string[], email: typeof approverEmail): Promise<Delivery[]> {
  const { notify } = target.policy;
  const out: Delivery[] = channels.map((channel) => ({ channel: `slack:${channel}`, send: () => postRequest(deps, request, target, channel) }));
  const approvers = await Promise.all(target.policy.approvers.principals.filter((id) => id !== request.requesterId).map((id) => deps.contacts.get(request.tenantId, id)));
  if (notify.dmApprovers) {
    for (const contact of approvers) {
      const user = contact?.slackConfirmedAt ? contact.slackUserId : undefined;
      if (user) out.push({ channel: `dm:${user}`, send: async () => postRequest(deps, request, target, await deps.slack.openDm(user)) });
    }
  }
  if (notify.email) {
    const addresses = new Set([...notify.emailTo, ...approvers.flatMap((c) => (c?.email ? [c.email] : []))]);
    for (const address of addresses) out.push({ channel: `email:${address}`, send: async () => void (await deps.mailer.send(email([address], request, target, deps.links))) });
  }
  return out;
}

async function postRequest(deps: NotifierDeps, request: AccessRequest, target: Target, channel: string): Promise<void> {
  const posted = await deps.slack.postMessage(channel, requestMessage(request, target, deps.links));
  await deps.ledger.recordSlackPost(request.tenantId, request.requestId, posted);
}

/** The body every webhook gets: the event as auditors see it, with the request's status now. */
export function webhookBody(event: LogEvent, request: AccessRequest): string {
  return JSON.stringify({
    id: event.hash,
    type: event.action,
    at: event.at,
    tenantId: event.tenantId,
    actor: { id: event.actorId, kind: event.actorKind },
    outcome: event.outcome,
    request: { requestId: request.requestId, status: request.status, targetId: request.targetId, databaseUser: request.databaseUser, requesterId: request.requesterId, durationMinutes: request.durationMinutes, ...(request.reason ? { reason: request.reason } : {}), ...(request.breakGlass ? { breakGlass: true } : {}) },
  });
}

async function webhookDeliveries(deps: NotifierDeps, event: LogEvent, request: AccessRequest, webhooks: { webhookId: string; url: string }[]): Promise<Delivery[]> {
  if (webhooks.length === 0) return [];
  const key = await deps.secrets.webhookKey();
  const body = webhookBody(event, request);
  return webhooks.map((hook) => ({
    channel: `webhook:${hook.webhookId}`,
    send: () =>
      deps.webhooks.post(hook.url, body, {
        'content-type': 'application/json',
        [webhookEventHeader]: event.hash,
        // Signed at each attempt: a receiver's time window judges the attempt, not the event.
        [webhookSignatureHeader]: signWebhook(webhookSecret(key, event.tenantId, hook.webhookId), body, deps.clock.now()),
      }),
  }));
}

export type BatchItem = { id: string; event: LogEvent | undefined };
export type BatchReport = { firstFailed?: string; parked: { event: LogEvent; channels: string[] }[]; retrying: { event: LogEvent; channels: string[]; error?: string }[] };

/**
 * One stream batch, in order: every event is tried (a failure does not hold back the ones after it, whose
 * deliveries are idempotent), and the earliest item with something left to retry is reported, so that the
 * batch is handed back from there (Lambda's ReportBatchItemFailures). An error that is no channel's
 * (the ledger unreachable, the process going down) is handled the same way: the item comes back.
 */
export async function deliverBatch(deps: NotifierDeps, items: BatchItem[]): Promise<BatchReport> {
  const report: BatchReport = { parked: [], retrying: [] };
  for (const { id, event } of items) {
    if (!event) continue;
    try {
      const outcome = await (deps.asTenant ?? noTenantScope)(event.tenantId, () => deliverEvent(deps, event));
      if (outcome.parked.length > 0) report.parked.push({ event, channels: outcome.parked });
    } catch (error) {
      report.firstFailed ??= id;
      report.retrying.push({ event, channels: error instanceof DeliveryIncompleteError ? error.outcome.failed : [], ...(error instanceof DeliveryIncompleteError ? {} : { error: error instanceof Error ? error.name : 'unknown' }) });
    }
  }
  return report;
}
