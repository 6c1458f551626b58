import type { LogEvent } from '#shared/grant-log/events';
import { type InteractionDeps, type NotifierDeps } from '#shared/notifications/index';
import { slackSignature } from '#shared/notifications/slack-signature';
import type { Principal } from '#shared/kernel/principal';
import type { Policy } from '#shared/targets/target';
import { aPolicy, aTarget, fakeDeps, TENANT } from '../../support/fakes/index.ts';
import { fixedSecrets, InMemoryContacts, InMemoryGuard, InMemoryLedger, InMemoryNotificationSettings, RecordingMailer, RecordingSlack, RecordingWebhooks } from '../../support/fakes/notifications.ts';

// One tenant whose target posts to a Slack channel and mails a list, with a webhook; people linked to Slack
// as the interactive endpoint would have confirmed them. `stream()` hands over the log events written since
// the last call, as the grant log's stream would.

export const TEAM = 'T0ACME0001';
export const CHANNEL = 'C0APPROVE1';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const slackIdOf = (who: string) => `U${who.toUpperCase().padEnd(8, '0').slice(0, 8)}`;

export function notifyWorld(policy: Partial<Policy> = {}) {
  const deps = fakeDeps();
  const target = aTarget({ policy: aPolicy({ notify: { slackChannels: [CHANNEL], dmApprovers: false, email: true, emailTo: ['dba@example.com'] }, ...policy }) });
  deps.targets.seed(target);
  const settings = new InMemoryNotificationSettings();
  settings.byTenant.set(TENANT, { tenantId: TENANT, slackTeamId: TEAM, webhooks: [{ webhookId: 'wh_00000000000000000001', url: 'https://siem.example.com/in' }], version: 1, updatedAt: '', updatedBy: 'erin' });
  settings.teams.set(TEAM, TENANT);
  const contacts = new InMemoryContacts();
  const ledger = new InMemoryLedger();
  const slack = new RecordingSlack();
  const mailer = new RecordingMailer();
  const webhooks = new RecordingWebhooks();
  const guard = new InMemoryGuard();
  const secrets = fixedSecrets();
  const notifier: NotifierDeps = { clock: deps.clock, requests: deps.requests, targets: deps.targets, settings, contacts, ledger, slack, mailer, webhooks, secrets, links: { consoleUrl: 'https://console.example.com' }, maxAttempts: 3 };
  const interactions: InteractionDeps = {
    clock: deps.clock,
    secrets,
    guard,
    settings,
    contacts,
    slack,
    decisions: deps,
    audit: { record: async (entry) => void deps.log.append([entry]) },
    links: { consoleUrl: 'https://console.example.com' },
  };
  let streamed = 0;
  const stream = (): LogEvent[] => {
    const events = deps.log.events.slice(streamed);
    streamed = deps.log.events.length;
    return events;
  };
  /** A person whose Slack link was confirmed, with the roles of the token that linked. */
  const link = async (principal: Principal, email?: string) => {
    await contacts.put({ tenantId: TENANT, principal, slackUserId: slackIdOf(principal.id), ...(email ? { email } : {}), slackNonce: 'n', linkedAt: deps.clock.now().toISOString(), expiresAt: new Date(deps.clock.now().getTime() + 86_400_000).toISOString() });
    await contacts.confirmSlack(TENANT, principal.id, 'n', slackIdOf(principal.id), deps.clock.now().toISOString());
  };
  return { deps, target, settings, contacts, ledger, slack, mailer, webhooks, guard, notifier, interactions, stream, link };
}

export function click(userId: string, actionId: string, value: string, teamId = TEAM) {
  return new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', team: { id: teamId }, user: { id: userId }, channel: { id: CHANNEL }, actions: [{ action_id: actionId, value }] }) }).toString();
}

/** Signed as Slack signs, at `at` (seconds), with `secret`. */
export function signed(rawBody: string, at: Date, secret = SIGNING_SECRET) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { rawBody, timestamp, signature: slackSignature(secret, timestamp, rawBody) };
}
