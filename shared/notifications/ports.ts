import type { Principal } from '../kernel/principal.ts';

// The collaborators of notifications. Adapters: shared/adapters/slack (Web API), shared/adapters/aws (SES v2,
// Secrets Manager through Powertools Parameters), shared/adapters/http (webhooks), shared/adapters/dynamodb.

export type SlackMessage = { text: string; blocks: readonly unknown[] };

export interface SlackApi {
  /** chat.postMessage: where it landed (a DM's channel is the IM id). */
  postMessage(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  /** chat.update of a message this app posted. */
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** chat.postEphemeral: only `user` sees it, in `channel`. */
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
  /** conversations.open: the IM channel with one user. */
  openDm(userId: string): Promise<string>;
}

export type Email = { to: string[]; subject: string; text: string };

export interface Mailer {
  send(email: Email): Promise<{ messageId: string }>;
}

export interface WebhookSender {
  /** POSTs the body with the headers; a non-2xx answer or no answer in time is an error. */
  post(url: string, body: string, headers: Record<string, string>): Promise<void>;
}

/** The deployment's secrets, read through Powertools Parameters (Secrets Manager), never from the environment. */
export interface NotificationSecrets {
  slackBotToken(): Promise<string>;
  slackSigningSecret(): Promise<string>;
  /** The key tenant webhook secrets are derived from (webhook-signature.ts). */
  webhookKey(): Promise<string>;
}

export type Webhook = { webhookId: string; url: string };

export type NotificationSettings = {
  tenantId: string;
  /** The Slack workspace (team id) whose users act for this tenant; one workspace serves one tenant. */
  slackTeamId?: string;
  /** The Slack channel every break-glass grant of the tenant is announced in. */
  securityChannel?: string;
  webhooks: Webhook[];
  version: number;
  updatedAt: string;
  updatedBy: string;
};

export interface NotificationSettingsStore {
  get(tenantId: string): Promise<NotificationSettings | undefined>;
  /**
   * Writes the settings if the stored version is still `expectedVersion` (0: none yet), claiming the Slack team for
   * this tenant (refused with `already_exists` when another tenant holds it) and releasing the one it replaces.
   */
  put(settings: NotificationSettings, expectedVersion: number, previousTeamId?: string): Promise<void>;
  tenantOfTeam(teamId: string): Promise<string | undefined>;
}

/**
 * A person's way to be reached and to act from Slack. Latchkey stores no users: `principal` is what the person's
 * token said when they linked (roles and groups), refreshed by linking again, and trusted until `expiresAt`.
 */
export type Contact = {
  tenantId: string;
  principal: Principal;
  email?: string;
  slackUserId?: string;
  /** Set once the Slack user clicked the confirmation Latchkey sent them: only then do their clicks act. */
  slackConfirmedAt?: string;
  /** The one-time value of the confirmation button, while unconfirmed. */
  slackNonce?: string;
  linkedAt: string;
  expiresAt: string;
};

export interface ContactStore {
  get(tenantId: string, principalId: string): Promise<Contact | undefined>;
  put(contact: Contact): Promise<void>;
  /** The confirmed contact of one Slack user of the tenant. */
  bySlackUser(tenantId: string, slackUserId: string): Promise<Contact | undefined>;
  /**
   * Marks the contact's Slack link confirmed if its nonce is still `nonce` and it names `slackUserId` (the clicker),
   * and makes that Slack user act as this contact; false when it does not.
   */
  confirmSlack(tenantId: string, principalId: string, nonce: string, slackUserId: string, at: string): Promise<boolean>;
}

/** One delivery of one log event to one channel (`slack:C…`, `dm:U…`, `email:…`, `webhook:wh_…`). */
export type DeliveryKey = { tenantId: string; eventId: string; channel: string };
export type ParkedDelivery = DeliveryKey & { action: string; requestId?: string; attempts: number; lastError: string; parkedAt: string };

export interface DeliveryLedger {
  /** 'sent' or 'parked' once settled; undefined while still to do (never tried, or failed fewer times than the limit). */
  settled(key: DeliveryKey): Promise<'sent' | 'parked' | undefined>;
  markSent(key: DeliveryKey, at: string): Promise<void>;
  /** Counts a failed attempt; returns how many there have been. */
  recordFailure(key: DeliveryKey, error: string, at: string): Promise<number>;
  park(delivery: ParkedDelivery): Promise<void>;
  listParked(tenantId: string, limit: number): Promise<ParkedDelivery[]>;
  /** Where a request's message sits in one channel, so later events update it. */
  slackPosts(tenantId: string, requestId: string): Promise<{ channel: string; ts: string }[]>;
  recordSlackPost(tenantId: string, requestId: string, post: { channel: string; ts: string }): Promise<void>;
}

/** Refused Slack interactions whose tenant cannot be trusted (bad signature, stale, replayed): the operator's trace. */
export type UnverifiedRefusal = { reason: 'bad_signature' | 'stale_timestamp' | 'replayed' | 'malformed'; at: string; signatureDigest?: string };

export interface InteractionGuard {
  /** True the first time a signature is presented, false ever after (until it could no longer pass the time window). */
  firstUse(signatureDigest: string, expiresAt: Date): Promise<boolean>;
  recordUnverified(refusal: UnverifiedRefusal): Promise<void>;
}
