import { describe, expect, it } from 'vitest';
import { deliverBatch, deliverEvent, DeliveryIncompleteError, SlackAction } from '#shared/notifications/index';
import { approveRequest } from '#shared/requests/use-cases';
import { verifyWebhook, webhookSecret } from '#shared/notifications/webhook-signature';
import { aPendingRequestBy, people } from '../../support/world.ts';
import { TENANT } from '../../support/fakes/index.ts';
import { CHANNEL, notifyWorld, slackIdOf } from './notify-world.ts';

const batch = (events: { hash: string }[]) => events.map((event, i) => ({ id: String(i + 1).padStart(3, '0'), event: event as never }));
const sentTo = (w: ReturnType<typeof notifyWorld>) => ({
  posts: w.slack.posts.map((p) => p.channel),
  updates: w.slack.updates.map((u) => u.channel),
  mails: w.mailer.sent.map((m) => m.to.join(',')),
  hooks: w.webhooks.received.map((h) => JSON.parse(h.body).type as string),
});

describe('delivering grant-log events', () => {
  it("posts a new request to the policy's channels with its buttons, mails the approvers and signs the webhook", async () => {
    const w = notifyWorld();
    const request = await aPendingRequestBy(w.deps);
    await deliverBatch(w.notifier, batch(w.stream()));

    expect(sentTo(w)).toEqual({ posts: [CHANNEL], updates: [], mails: ['dba@example.com'], hooks: ['request.created'] });
    const { message } = w.slack.posts[0]!;
    const buttons = (message.blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string; value: string }[] }).elements;
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([[SlackAction.approve, request.requestId], [SlackAction.deny, request.requestId]]);
    expect(JSON.stringify(message.blocks)).toContain('debug INC-77');
    expect(JSON.stringify(message.blocks)).toContain('0 of 1');
    expect(w.mailer.sent[0]!.text).toContain(`latchkey approve ${request.requestId}`);
    expect(w.mailer.sent[0]!.text).toContain(`https://console.example.com/requests/${request.requestId}`);
    const hook = w.webhooks.received[0]!;
    expect(verifyWebhook(webhookSecret('webhook-key-for-tests', TENANT, 'wh_00000000000000000001'), hook.body, hook.headers['latchkey-signature']!, w.deps.clock.now())).toBe(true);
  });

  it('updates the message with each decision and tells the requester (DM and email) once decided', async () => {
    const w = notifyWorld({ approvalsRequired: 2 });
    await w.link(people.alice, 'alice@example.com');
    const { requestId } = await aPendingRequestBy(w.deps);
    await deliverBatch(w.notifier, batch(w.stream()));
    await approveRequest(w.deps, people.bob, { requestId });
    await deliverBatch(w.notifier, batch(w.stream()));
    expect(JSON.stringify(w.slack.updates.at(-1)!.message.blocks)).toContain('1 of 2');
    expect(w.slack.posts.filter((p) => p.channel.startsWith('D'))).toEqual([]);

    await approveRequest(w.deps, people.carol, { requestId });
    await deliverBatch(w.notifier, batch(w.stream()));
    const last = w.slack.updates.at(-1)!.message;
    expect(last.text).toContain('Approved');
    expect(last.blocks.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(w.slack.posts.filter((p) => p.channel === `D${slackIdOf('alice').slice(1)}`).map((p) => p.message.text)).toEqual([expect.stringContaining('Approved')]);
    expect(w.mailer.sent.map((m) => [m.to[0], m.subject])).toEqual([
      ['dba@example.com', expect.stringContaining('asks for app_ro')],
      ['alice@example.com', expect.stringContaining(': approved')],
    ]);
  });

  it('DMs the approvers the policy names by id, when asked to and once they linked Slack', async () => {
    const w = notifyWorld({ approvers: { groups: ['dba'], principals: ['bob', 'carol'] }, notify: { slackChannels: [], dmApprovers: true, email: false, emailTo: [] } });
    await w.link(people.bob);
    await aPendingRequestBy(w.deps);
    await deliverBatch(w.notifier, batch(w.stream()));
    // carol has no confirmed link: nobody to DM.
    expect(w.slack.posts.map((p) => p.channel)).toEqual([`D${slackIdOf('bob').slice(1)}`]);
    expect(w.mailer.sent).toEqual([]);
  });

  it('sends each message exactly once per channel when the notifier crashes mid-batch and the batch is delivered again', async () => {
    const w = notifyWorld();
    await w.link(people.alice, 'alice@example.com');
    const { requestId } = await aPendingRequestBy(w.deps);
    await approveRequest(w.deps, people.bob, { requestId });
    const events = batch(w.stream());
    // The process dies at the ledger's 3rd read (the first event's webhook): nothing after it runs, until a restart.
    let reads = 0;
    let dead = false;
    const settled = w.ledger.settled.bind(w.ledger);
    w.ledger.settled = async (key) => {
      reads += 1;
      if (reads === 3) dead = true;
      if (dead) throw new Error('the process was killed');
      return settled(key);
    };

    const first = await deliverBatch(w.notifier, events);
    expect(first.firstFailed).toBe('001');
    expect(sentTo(w)).toEqual({ posts: [CHANNEL], updates: [], mails: ['dba@example.com'], hooks: [] });
    dead = false;
    reads = -1_000;
    // Lambda hands the batch back from the failed record; and again, whole, as if its acknowledgement was lost.
    expect((await deliverBatch(w.notifier, events)).firstFailed).toBeUndefined();
    expect((await deliverBatch(w.notifier, events)).firstFailed).toBeUndefined();

    expect(sentTo(w)).toEqual({
      posts: [CHANNEL, `D${slackIdOf('alice').slice(1)}`],
      updates: [CHANNEL],
      mails: ['dba@example.com', 'alice@example.com'],
      hooks: ['request.created', 'request.approved'],
    });
  });

  it('sends again only the one delivery whose send was not yet recorded when the crash came (the at-least-once window)', async () => {
    const w = notifyWorld();
    await aPendingRequestBy(w.deps);
    const events = batch(w.stream());
    const markSent = w.ledger.markSent.bind(w.ledger);
    let marks = 0;
    w.ledger.markSent = async (key, at) => {
      marks += 1;
      if (marks === 2) throw new Error('the process was killed');
      return markSent(key, at);
    };
    expect((await deliverBatch(w.notifier, events)).firstFailed).toBe('001');
    expect((await deliverBatch(w.notifier, events)).firstFailed).toBeUndefined();
    // The channel post was recorded before the crash and is not repeated; the email was sent, not recorded: twice.
    expect(sentTo(w)).toEqual({ posts: [CHANNEL], updates: [], mails: ['dba@example.com', 'dba@example.com'], hooks: ['request.created'] });
  });

  it('retries only the failing channel, and parks it after maxAttempts without failing the event again', async () => {
    const w = notifyWorld();
    await aPendingRequestBy(w.deps);
    const [created] = w.stream();
    w.webhooks.failNext = 5;

    await expect(deliverEvent(w.notifier, created!)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    await expect(deliverEvent(w.notifier, created!)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    const third = await deliverEvent(w.notifier, created!);
    expect(third).toEqual({ sent: [], skipped: [`slack:${CHANNEL}`, 'email:dba@example.com'], failed: [], parked: ['webhook:wh_00000000000000000001'] });
    expect(w.ledger.parked).toEqual([expect.objectContaining({ tenantId: TENANT, channel: 'webhook:wh_00000000000000000001', attempts: 3, lastError: 'Error: the webhook answered 503', action: 'request.created' })]);
    // Parked is settled: a fourth delivery of the event sends nothing.
    expect((await deliverEvent(w.notifier, created!)).sent).toEqual([]);
    expect(w.slack.posts).toHaveLength(1);
    expect(w.webhooks.received).toHaveLength(3);
  });

  it('ignores what is not a request event, and events of requests it cannot read', async () => {
    const w = notifyWorld();
    await aPendingRequestBy(w.deps);
    const [created] = w.stream();
    expect(await deliverEvent(w.notifier, { ...created!, action: 'credentials.issued' })).toEqual({ sent: [], skipped: [], failed: [], parked: [] });
    expect(await deliverEvent(w.notifier, { ...created!, requestId: 'req_9999999999' })).toEqual({ sent: [], skipped: [], failed: [], parked: [] });
    expect(await deliverEvent(w.notifier, { ...created!, tenantId: 'globex' })).toEqual({ sent: [], skipped: [], failed: [], parked: [] });
    expect(sentTo(w)).toEqual({ posts: [], updates: [], mails: [], hooks: [] });
  });
});
