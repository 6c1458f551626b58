import { describe, expect, it } from 'vitest';
import { remindEndingGrants } from '#shared/notifications/index';
import { approveRequest } from '#shared/requests/use-cases';
import { aPendingRequestBy, people } from '../../support/world.ts';
import { notifyWorld, slackIdOf } from './notify-world.ts';

describe('ending-soon reminders', () => {
  it('DMs the requester once when the grant ends within 15 minutes, and not before', async () => {
    const w = notifyWorld();
    await w.link(people.alice);
    const { requestId } = await aPendingRequestBy(w.deps, people.alice, 60);
    await approveRequest(w.deps, people.bob, { requestId });
    const reminders = { ...w.notifier, requests: w.deps.requests };

    expect(await remindEndingGrants(reminders)).toEqual({ reminded: 0, skipped: 0, failed: 0 });
    w.deps.clock.advance({ minutes: 46 });
    expect(await remindEndingGrants(reminders)).toEqual({ reminded: 1, skipped: 0, failed: 0 });
    w.deps.clock.advance({ minutes: 5 });
    expect(await remindEndingGrants(reminders)).toEqual({ reminded: 0, skipped: 1, failed: 0 });
    expect(w.slack.posts.map((p) => [p.channel, p.message.text])).toEqual([[`D${slackIdOf('alice').slice(1)}`, expect.stringContaining(`latchkey extend ${requestId}`)]]);
    // After the end, the sweeper's business: no reminder.
    w.deps.clock.advance({ minutes: 10 });
    expect(await remindEndingGrants(reminders)).toEqual({ reminded: 0, skipped: 0, failed: 0 });
  });

  it('says nothing to a requester without a confirmed Slack link, nor about pending requests', async () => {
    const w = notifyWorld();
    const { requestId } = await aPendingRequestBy(w.deps, people.alice, 10);
    await aPendingRequestBy(w.deps, people.frank, 10);
    await approveRequest(w.deps, people.bob, { requestId });
    expect(await remindEndingGrants({ ...w.notifier, requests: w.deps.requests })).toEqual({ reminded: 0, skipped: 0, failed: 0 });
    expect(w.slack.posts).toEqual([]);
  });

  it('retries a failed reminder at the next run', async () => {
    const w = notifyWorld();
    await w.link(people.alice);
    const { requestId } = await aPendingRequestBy(w.deps, people.alice, 10);
    await approveRequest(w.deps, people.bob, { requestId });
    const im = `D${slackIdOf('alice').slice(1)}`;
    w.slack.failPosts.set(im, 1);
    const reminders = { ...w.notifier, requests: w.deps.requests };
    expect(await remindEndingGrants(reminders)).toEqual({ reminded: 0, skipped: 0, failed: 1 });
    expect(await remindEndingGrants(reminders)).toEqual({ reminded: 1, skipped: 0, failed: 0 });
    expect(w.slack.posts.filter((p) => p.channel === im)).toHaveLength(1);
  });
});
