import type {
  Contact,
  ContactStore,
  DeliveryKey,
  DeliveryLedger,
  Email,
  InteractionGuard,
  Mailer,
  NotificationSecrets,
  NotificationSettings,
  NotificationSettingsStore,
  ParkedDelivery,
  SlackApi,
  SlackMessage,
  UnverifiedRefusal,
  WebhookSender,
} from '#shared/notifications/index';

// In-memory stand-ins for the ports of notifications, with the same rules as the DynamoDB adapters.

export class InMemoryNotificationSettings implements NotificationSettingsStore {
  readonly byTenant = new Map<string, NotificationSettings>();
  readonly teams = new Map<string, string>();
  async get(tenantId: string) {
    return structuredClone(this.byTenant.get(tenantId));
  }
  async put(settings: NotificationSettings, expectedVersion: number, previousTeamId?: string) {
    if ((this.byTenant.get(settings.tenantId)?.version ?? 0) !== expectedVersion) throw new Error('conflict');
    const team = settings.slackTeamId;
    if (team && this.teams.has(team) && this.teams.get(team) !== settings.tenantId) throw new Error('team taken');
    if (previousTeamId && previousTeamId !== team) this.teams.delete(previousTeamId);
    if (team) this.teams.set(team, settings.tenantId);
    this.byTenant.set(settings.tenantId, structuredClone(settings));
  }
  async tenantOfTeam(teamId: string) {
    return this.teams.get(teamId);
  }
}

export class InMemoryContacts implements ContactStore {
  readonly contacts = new Map<string, Contact>();
  readonly slackUsers = new Map<string, string>();
  async get(tenantId: string, principalId: string) {
    return structuredClone(this.contacts.get(`${tenantId}/${principalId}`));
  }
  async put(contact: Contact) {
    this.contacts.set(`${contact.tenantId}/${contact.principal.id}`, structuredClone(contact));
  }
  async bySlackUser(tenantId: string, slackUserId: string) {
    const id = this.slackUsers.get(`${tenantId}/${slackUserId}`);
    const contact = id ? await this.get(tenantId, id) : undefined;
    return contact?.slackUserId === slackUserId && contact.slackConfirmedAt ? contact : undefined;
  }
  async confirmSlack(tenantId: string, principalId: string, nonce: string, slackUserId: string, at: string) {
    const contact = this.contacts.get(`${tenantId}/${principalId}`);
    if (!contact || contact.slackNonce !== nonce || contact.slackUserId !== slackUserId) return false;
    delete contact.slackNonce;
    contact.slackConfirmedAt = at;
    this.slackUsers.set(`${tenantId}/${slackUserId}`, principalId);
    return true;
  }
}

export class InMemoryLedger implements DeliveryLedger {
  readonly deliveries = new Map<string, { status: string; attempts: number }>();
  readonly parked: ParkedDelivery[] = [];
  readonly posts = new Map<string, { channel: string; ts: string }[]>();
  private id = (k: DeliveryKey) => `${k.tenantId}/${k.eventId}/${k.channel}`;
  async settled(key: DeliveryKey) {
    const status = this.deliveries.get(this.id(key))?.status;
    return status === 'sent' || status === 'parked' ? status : undefined;
  }
  async markSent(key: DeliveryKey, _at: string) {
    this.deliveries.set(this.id(key), { status: 'sent', attempts: this.deliveries.get(this.id(key))?.attempts ?? 0 });
  }
  async recordFailure(key: DeliveryKey) {
    const attempts = (this.deliveries.get(this.id(key))?.attempts ?? 0) + 1;
    this.deliveries.set(this.id(key), { status: 'failing', attempts });
    return attempts;
  }
  async park(delivery: ParkedDelivery) {
    this.deliveries.set(this.id(delivery), { status: 'parked', attempts: delivery.attempts });
    this.parked.push(delivery);
  }
  async listParked(tenantId: string) {
    return this.parked.filter((p) => p.tenantId === tenantId);
  }
  async slackPosts(tenantId: string, requestId: string) {
    return this.posts.get(`${tenantId}/${requestId}`) ?? [];
  }
  async recordSlackPost(tenantId: string, requestId: string, post: { channel: string; ts: string }) {
    const key = `${tenantId}/${requestId}`;
    this.posts.set(key, [...(this.posts.get(key) ?? []).filter((p) => p.channel !== post.channel), post]);
  }
}

export class RecordingSlack implements SlackApi {
  readonly posts: { channel: string; ts: string; message: SlackMessage }[] = [];
  readonly updates: { channel: string; ts: string; message: SlackMessage }[] = [];
  readonly ephemerals: { channel: string; user: string; text: string }[] = [];
  /** Channels whose next post fails (a Slack error), by count. */
  readonly failPosts = new Map<string, number>();
  private n = 0;
  async postMessage(channel: string, message: SlackMessage) {
    const fails = this.failPosts.get(channel) ?? 0;
    if (fails > 0) {
      this.failPosts.set(channel, fails - 1);
      throw new Error('An API error occurred: channel_not_found');
    }
    const ts = `1.${String(++this.n).padStart(6, '0')}`;
    this.posts.push({ channel, ts, message });
    return { channel, ts };
  }
  async updateMessage(channel: string, ts: string, message: SlackMessage) {
    this.updates.push({ channel, ts, message });
  }
  async postEphemeral(channel: string, user: string, text: string) {
    this.ephemerals.push({ channel, user, text });
  }
  async openDm(userId: string) {
    return `D${userId.slice(1)}`;
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: Email[] = [];
  async send(email: Email) {
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}

export class RecordingWebhooks implements WebhookSender {
  readonly received: { url: string; body: string; headers: Record<string, string> }[] = [];
  failNext = 0;
  async post(url: string, body: string, headers: Record<string, string>) {
    this.received.push({ url, body, headers });
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('the webhook answered 503');
    }
  }
}

export class InMemoryGuard implements InteractionGuard {
  readonly seen = new Set<string>();
  readonly unverified: UnverifiedRefusal[] = [];
  async firstUse(digest: string) {
    if (this.seen.has(digest)) return false;
    this.seen.add(digest);
    return true;
  }
  async recordUnverified(refusal: UnverifiedRefusal) {
    this.unverified.push(refusal);
  }
}

export const fixedSecrets = (over: Partial<Record<keyof NotificationSecrets, string>> = {}): NotificationSecrets => ({
  slackBotToken: async () => over.slackBotToken ?? 'xoxb-test',
  slackSigningSecret: async () => over.slackSigningSecret ?? '8f742231b10e8888abcd99yyyzzz85a5',
  webhookKey: async () => over.webhookKey ?? 'webhook-key-for-tests',
});
