import { describe, expect, it } from 'vitest';
import { handleSlackInteraction, SlackAction, SlackSignatureError } from '#shared/notifications/index';
import { aPendingRequestBy, people } from '../../support/world.ts';
import { TENANT } from '../../support/fakes/index.ts';
import { click, notifyWorld, signed, slackIdOf } from './notify-world.ts';

// The interactive endpoint's rules, against the same request use cases as the API (in-memory fakes).
type W = ReturnType<typeof notifyWorld>;
const refusalsOf = (w: W) => w.deps.log.events.filter((e) => e.action === 'slack.action_refused').map((e) => [e.actorId, (e.details as { reason: string }).reason]);

async function pending(w: W) {
  for (const who of [people.alice, people.bob, people.carol, people.sam, people.dana]) await w.link(who);
  return aPendingRequestBy(w.deps);
}

/** Runs the click and proves it changed no request and wrote at most the one refusal event. */
async function expectNoChange(w: W, run: () => Promise<unknown>, refusalEvents: number) {
  const requests = w.deps.requests.all();
  const events = w.deps.log.events.length;
  await run();
  expect(w.deps.requests.all()).toEqual(requests);
  expect(w.deps.log.events.length - events).toBe(refusalEvents);
}

describe('Slack interactions', () => {
  it('approves as the linked, named approver: one event, as through the API', async () => {
    const w = notifyWorld();
    const { requestId } = await pending(w);
    const result = await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, requestId), w.deps.clock.now()));
    expect(result).toEqual({ outcome: 'approved', requestId, status: 'approved' });
    expect(w.deps.log.forRequest(TENANT, requestId).map((e) => [e.action, e.actorId])).toEqual([
      ['request.created', 'alice'],
      ['request.approved', 'bob'],
    ]);
  });

  it('denies as the linked, named approver', async () => {
    const w = notifyWorld();
    const { requestId } = await pending(w);
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.deny, requestId), w.deps.clock.now()))).toMatchObject({ outcome: 'denied', status: 'denied' });
  });

  it('counts quorum across Slack clicks: two distinct approvers, one click each', async () => {
    const w = notifyWorld({ approvalsRequired: 2 });
    const { requestId } = await pending(w);
    const now = () => w.deps.clock.now();
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, requestId), now()))).toMatchObject({ status: 'pending' });
    w.deps.clock.advance({ minutes: 1 });
    // bob again (a new click, so a new signature): counted once, refused as already decided.
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, requestId), now()))).toEqual({ outcome: 'refused', reason: 'already_decided' });
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('carol'), SlackAction.approve, requestId), now()))).toMatchObject({ status: 'approved' });
  });

  it.each([
    ['a forged signature', 'bad_signature', (w: W, body: string) => signed(body, w.deps.clock.now(), 'not-the-secret')],
    ['a timestamp six minutes old', 'stale_timestamp', (w: W, body: string) => signed(body, new Date(w.deps.clock.now().getTime() - 360_000))],
    ['no signature at all', 'bad_signature', (_w: W, body: string) => ({ rawBody: body, timestamp: undefined, signature: undefined })],
  ] as const)('refuses %s before reading the body, leaving one operator trace', async (_name, reason, make) => {
    const w = notifyWorld();
    const { requestId } = await pending(w);
    await expectNoChange(w, async () => {
      await expect(handleSlackInteraction(w.interactions, make(w, click(slackIdOf('bob'), SlackAction.approve, requestId)))).rejects.toEqual(new SlackSignatureError(reason));
    }, 0);
    expect(w.guard.unverified.map((u) => u.reason)).toEqual([reason]);
  });

  it('refuses a replay of a valid request, however soon', async () => {
    const w = notifyWorld({ approvalsRequired: 2 });
    const { requestId } = await pending(w);
    const once = signed(click(slackIdOf('bob'), SlackAction.approve, requestId), w.deps.clock.now());
    await handleSlackInteraction(w.interactions, once);
    await expectNoChange(w, async () => {
      await expect(handleSlackInteraction(w.interactions, once)).rejects.toEqual(new SlackSignatureError('replayed'));
    }, 0);
    expect(w.guard.unverified.map((u) => u.reason)).toEqual(['replayed']);
  });

  it.each([
    ["the requester's own click (a named approver too)", 'dana', 'forbidden'],
    ['an approver the policy does not name', 'sam', 'not_found'],
    ['a Slack user with no confirmed link', 'frank', 'not_linked'],
  ])('refuses %s: nothing changes, one refusal in the tenant log', async (_name, who, reason) => {
    const w = notifyWorld();
    await pending(w);
    const { requestId } = await aPendingRequestBy(w.deps, people.dana);
    await expectNoChange(w, async () => {
      expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf(who), SlackAction.approve, requestId), w.deps.clock.now()))).toEqual({ outcome: 'refused', reason });
    }, 1);
    expect(refusalsOf(w)).toEqual([[reason === 'not_linked' ? `slack:${slackIdOf(who)}` : who, reason]]);
    expect(w.slack.ephemerals).toHaveLength(1);
  });

  it('refuses a Slack user whose link expired, and one whose link was never confirmed', async () => {
    const w = notifyWorld();
    const { requestId } = await pending(w);
    w.deps.clock.advance({ days: 2 });
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, requestId), w.deps.clock.now()))).toEqual({ outcome: 'refused', reason: 'not_linked' });
    await w.contacts.put({ tenantId: TENANT, principal: people.carol, slackUserId: slackIdOf('carol'), slackNonce: 'x', linkedAt: '', expiresAt: '2099-01-01T00:00:00.000Z' });
    // carol re-linked (pending confirmation): her old confirmed link no longer acts.
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('carol'), SlackAction.approve, requestId), w.deps.clock.now()))).toEqual({ outcome: 'refused', reason: 'not_linked' });
  });

  it("maps a Slack user only within the workspace's tenant: the same member id in another workspace is nobody", async () => {
    const w = notifyWorld();
    const { requestId } = await pending(w);
    expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, requestId, 'T0OTHER001'), w.deps.clock.now()))).toEqual({ outcome: 'refused', reason: 'unknown_workspace' });
    expect(w.deps.requests.all().find((r) => r.requestId === requestId)?.status).toBe('pending');
  });

  it("refuses an approval the policy's step-up covers, once, and tells the approver to approve with a fresh sign-in", async () => {
    const w = notifyWorld({ stepUp: { approve: { maxAgeMinutes: 10, mfa: false } } });
    const { requestId } = await pending(w);
    await expectNoChange(w, async () => {
      expect(await handleSlackInteraction(w.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, requestId), w.deps.clock.now()))).toEqual({ outcome: 'refused', reason: 'step_up_required' });
    }, 1);
    expect(refusalsOf(w)).toEqual([['bob', 'step_up_required']]);
    const told = w.slack.ephemerals.at(-1)!;
    expect(told.user).toBe(slackIdOf('bob'));
    expect(told.text).toContain(`latchkey approve ${requestId}`);
    expect(told.text).toContain(`https://console.example.com/requests/${requestId}`);
  });

  it('names only the CLI without a console, asks the same of an MFA rule, and leaves Deny and issue-only rules alone', async () => {
    const mfa = notifyWorld({ stepUp: { approve: { mfa: true } } });
    mfa.interactions.links = {};
    const first = await pending(mfa);
    await expectNoChange(mfa, () => handleSlackInteraction(mfa.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, first.requestId), mfa.deps.clock.now())), 1);
    expect(mfa.slack.ephemerals.at(-1)!.text).toContain(`latchkey approve ${first.requestId}`);
    expect(mfa.slack.ephemerals.at(-1)!.text).not.toContain('https://');
    // Step-up is for approving: a Deny needs none.
    expect(await handleSlackInteraction(mfa.interactions, signed(click(slackIdOf('carol'), SlackAction.deny, first.requestId), mfa.deps.clock.now()))).toMatchObject({ outcome: 'denied' });

    const issueOnly = notifyWorld({ stepUp: { issue: { maxAgeMinutes: 5, mfa: false } } });
    const second = await pending(issueOnly);
    expect(await handleSlackInteraction(issueOnly.interactions, signed(click(slackIdOf('bob'), SlackAction.approve, second.requestId), issueOnly.deps.clock.now()))).toMatchObject({ outcome: 'approved' });
  });

  it('confirms a link only from the Slack user it names, with its nonce, once', async () => {
    const w = notifyWorld();
    await w.contacts.put({ tenantId: TENANT, principal: people.bob, slackUserId: slackIdOf('bob'), slackNonce: 'nonce-1', linkedAt: '', expiresAt: '2099-01-01T00:00:00.000Z' });
    const confirm = (user: string, value: string) => handleSlackInteraction(w.interactions, signed(click(user, SlackAction.confirmLink, value), w.deps.clock.now()));
    expect(await confirm(slackIdOf('sam'), 'nonce-1 bob')).toEqual({ outcome: 'refused', reason: 'link_not_pending' });
    expect(await confirm(slackIdOf('bob'), 'nonce-2 bob')).toEqual({ outcome: 'refused', reason: 'link_not_pending' });
    w.deps.clock.advance({ seconds: 1 });
    expect(await confirm(slackIdOf('bob'), 'nonce-1 bob')).toEqual({ outcome: 'linked', principalId: 'bob' });
    w.deps.clock.advance({ seconds: 1 });
    expect(await confirm(slackIdOf('bob'), 'nonce-1 bob')).toEqual({ outcome: 'refused', reason: 'link_not_pending' });
    expect((await w.contacts.bySlackUser(TENANT, slackIdOf('bob')))?.principal.id).toBe('bob');
    expect(await w.contacts.bySlackUser(TENANT, slackIdOf('sam'))).toBeUndefined();
  });
});
