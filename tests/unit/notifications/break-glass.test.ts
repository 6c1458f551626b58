import { describe, expect, it } from 'vitest';
import { deliverBatch, putSettings, requestMessage, settingsBody, settingsDto } from '#shared/notifications/index';
import { createRequest, reviewRequest } from '#shared/requests/use-cases';
import { aUser } from '../../support/fakes/index.ts';
import { TARGET_ID, TENANT, people } from '../../support/world.ts';
import { CHANNEL, notifyWorld, slackIdOf } from './notify-world.ts';

// Break-glass (docs/policy-rules.md) opens a grant without approval: every approver channel and the tenant's
// security channel hear of it at once, and nobody is offered an Approve button for it.
const SECURITY = 'C0SECURITY';
const oncall = aUser('olga', ['requester'], { groups: ['oncall'] });
const glass = { targetId: TARGET_ID, databaseUser: 'app_ro', durationMinutes: 30, reason: 'orders down, INC-9', breakGlass: true };
const buttonsOf = (blocks: readonly unknown[]) => blocks.filter((b) => (b as { type: string }).type === 'actions');

function glassWorld() {
  const w = notifyWorld({
    breakGlass: { groups: ['oncall'], principals: [], maxDurationMinutes: 30, maxPerPersonPerDay: 2 },
    approvers: { groups: ['dba'], principals: ['bob'] },
    notify: { slackChannels: [CHANNEL], dmApprovers: true, email: true, emailTo: ['dba@example.com'] },
  });
  w.settings.byTenant.get(TENANT)!.securityChannel = SECURITY;
  return w;
}
const deliver = (w: ReturnType<typeof glassWorld>) => deliverBatch(w.notifier, w.stream().map((event, i) => ({ id: String(i), event })));

describe('break-glass notifications', () => {
  it('tells every approver channel and the security channel at once, with no Approve button', async () => {
    const w = glassWorld();
    await w.link(people.bob, 'bob@example.com');
    const request = await createRequest(w.deps, oncall, glass);
    await deliver(w);

    const bobDm = `D${slackIdOf('bob').slice(1)}`;
    expect(w.slack.posts.map((p) => p.channel).sort()).toEqual([CHANNEL, SECURITY, bobDm].sort());
    for (const { message } of w.slack.posts) {
      expect(message.text).toContain('BREAK-GLASS: olga opened app_ro');
      expect(buttonsOf(message.blocks)).toEqual([]);
      expect(JSON.stringify(message.blocks)).toContain(`latchkey review ${request.requestId}`);
    }
    expect(w.mailer.sent.map((m) => [m.to[0], m.subject]).sort()).toEqual([
      ['bob@example.com', '[Latchkey] BREAK-GLASS: olga opened app_ro on orders-prod'],
      ['dba@example.com', '[Latchkey] BREAK-GLASS: olga opened app_ro on orders-prod'],
    ]);
    expect(w.mailer.sent[0]!.text).not.toContain('latchkey approve');
    // Both events (created, break_glass_opened) reach the webhook, flagged; nothing is posted as a request to decide.
    expect(w.webhooks.received.map((h) => [JSON.parse(h.body).type, JSON.parse(h.body).request.breakGlass])).toEqual([
      ['request.created', true],
      ['request.break_glass_opened', true],
    ]);
  });

  it('posts to the security channel even when the policy names no channel, and shows the review once made', async () => {
    const w = glassWorld();
    w.deps.targets.seed({ ...w.target, policy: { ...w.target.policy, notify: { slackChannels: [], dmApprovers: false, email: false, emailTo: [] } } });
    const request = await createRequest(w.deps, oncall, glass);
    await deliver(w);
    expect(w.slack.posts.map((p) => p.channel)).toEqual([SECURITY]);

    await reviewRequest(w.deps, people.bob, { requestId: request.requestId, outcome: 'acknowledged', note: 'INC-9 confirmed' });
    await deliver(w);
    expect(w.slack.updates.map((u) => u.channel)).toEqual([SECURITY]);
    expect(JSON.stringify(w.slack.updates[0]!.message.blocks)).toContain('Reviewed by bob: acknowledged');
  });

  it("keeps the tenant's security channel in its settings, a Slack channel id or nothing", async () => {
    const w = glassWorld();
    expect(settingsBody.safeParse({ securityChannel: '#security' }).success).toBe(false);
    expect(settingsBody.safeParse({ securityChannel: 'C0SEC0001' }).success).toBe(true);
    const deps = { clock: w.deps.clock, settings: w.settings, secrets: w.notifier.secrets, ledger: w.ledger, allowLoopbackHttp: false };
    const saved = await putSettings(deps, people.erin, { slackTeamId: 'T0ACME0001', securityChannel: 'C0SEC0001', webhooks: [] });
    expect((await settingsDto(deps, saved)).securityChannel).toBe('C0SEC0001');
    expect((await w.settings.get(TENANT))?.securityChannel).toBe('C0SEC0001');
  });

  it('never renders buttons for a break-glass grant', () => {
    const w = glassWorld();
    const message = requestMessage({ ...aPending(w), breakGlass: { openedAt: '2026-01-01T00:00:00.000Z' } }, w.target, {});
    expect(buttonsOf(message.blocks)).toEqual([]);
  });
});

function aPending(w: ReturnType<typeof glassWorld>) {
  return { tenantId: TENANT, requestId: 'req_01J00000000000000000000000', targetId: w.target.targetId, databaseUser: 'app_ro', requesterId: 'olga', requesterKind: 'user' as const, durationMinutes: 30, createdAt: '', version: 1, status: 'pending' as const, approvals: [], decideBy: '' };
}
