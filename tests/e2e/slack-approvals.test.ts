import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { mainKeys } from '#shared/adapters/dynamodb/keys';
import { verifyWebhook } from '#shared/notifications/webhook-signature';
import { api, documentedFetch, type ApiClient } from '../support/api.ts';
import { policy, targetInput } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { eventually, failHook, hookDeliveries, hookUrl, imOf, mails, slackEphemerals, slackIds, slackMessages } from '../support/notify-standin.ts';
import { postClick, signedClick, type Click } from '../support/slack.ts';
import { tokenFor } from '../support/tokens.ts';
import type { Policy } from '#shared/targets/target';

// Issue 13 over HTTP: the local stack's notifier reads the grant log's stream (dev/local-api/streams.ts) and talks
// to the notify stand-in's Slack, SES and webhook receiver; clicks come signed as Slack signs them.
const stores = dynamoStores();
const home = inject('latchkeyHome');
const apiUrl = inject('apiUrl');

type World = Awaited<ReturnType<typeof world>>;

async function world(options: { hook?: string; policy?: Partial<Policy>; securityChannel?: boolean } = {}) {
  const tenant = freshTenant('slack');
  const ids = slackIds();
  const as = async (sub: string, roles: string[], groups: string[] = []) => api(await tokenFor({ sub, tenant, roles, groups }));
  const people = {
    admin: await as('ada', ['admin', 'auditor']),
    alice: await as('alice', ['requester']),
    bob: await as('bob', ['approver'], ['dba']),
    mallory: await as('mallory', ['approver'], ['marketing']),
  };
  const hook = options.hook ?? `h${ids.team.toLowerCase()}`;
  const securityChannel = `CS${ids.team.slice(1)}`;
  const settings = await people.admin.put('/notifications/settings', { slackTeamId: ids.team, ...(options.securityChannel ? { securityChannel } : {}), webhooks: [{ url: hookUrl(hook) }] });
  expect(settings.status).toBe(200);
  const click = (who: 'alice' | 'bob' | 'mallory', actionId: string, value: string, extra: Partial<Click> = {}) =>
    signedClick(home, { teamId: ids.team, userId: ids.user(who), actionId, value, channel: ids.channel, ...extra }, {});
  // Each person links their Slack member id and confirms it from the DM Latchkey sends them.
  for (const who of ['alice', 'bob', 'mallory'] as const) {
    const linked = await people[who].put('/me/contact', { slackUserId: ids.user(who), email: `${who}-${ids.team.toLowerCase()}@example.com` });
    expect(linked.body).toMatchObject({ slackConfirmed: false });
    const im = await eventually(() => imOf(ids.user(who)), 5_000, 'the confirmation DM');
    const [dm] = await slackMessages(im);
    const value = (dm!.blocks[1] as { elements: { value: string }[] }).elements[0]!.value;
    expect((await postClick(apiUrl, click(who, 'latchkey.link.confirm', value), documentedFetch)).body).toMatchObject({ outcome: 'linked', principalId: who });
  }
  const target = await people.admin.post(
    '/targets',
    targetInput({ policy: policy({ notify: { slackChannels: [ids.channel], dmApprovers: false, email: true, emailTo: [`dba-${ids.team.toLowerCase()}@example.com`] }, ...options.policy }) }),
  );
  expect(target.status).toBe(201);
  return { tenant, ids, securityChannel, ...people, hook, secret: settings.body.webhooks[0].secret as string, targetId: target.body.targetId as string, click };
}

async function ask(w: World): Promise<string> {
  const created = await w.alice.post('/requests', { targetId: w.targetId, databaseUser: 'app_ro', durationMinutes: 60, reason: 'INC-4711' });
  expect(created.status).toBe(201);
  return created.body.requestId;
}

/** The channel's messages about one request (the stand-in keeps every version of each). */
const postsOf = async (w: World, requestId: string) => (await slackMessages(w.ids.channel)).filter((m) => JSON.stringify(m.blocks).includes(requestId));
const actionsOf = (blocks: unknown[]) => blocks.filter((b) => (b as { type: string }).type === 'actions');
const statusOf = async (who: ApiClient, requestId: string) => (await who.get(`/requests/${requestId}`)).body.status;
/** [action, actor] per event of the request, and why, for a refused Slack click. */
const eventsOf = async (w: World, requestId: string) =>
  (await stores.events(w.tenant))
    .filter((e) => e.requestId === requestId)
    .map((e) => (e.action === 'slack.action_refused' ? [e.action, e.actorId, (e.details as { reason?: string }).reason] : [e.action, e.actorId]));

async function unverifiedRefusals(since: string): Promise<number> {
  const { Items } = await stores.db.send(
    new QueryCommand({ TableName: stores.tables.main, KeyConditionExpression: 'PK = :pk AND SK >= :since', ExpressionAttributeValues: { ':pk': mainKeys.slackRefused(since, '').PK, ':since': since }, ConsistentRead: true }),
  );
  return Items?.length ?? 0;
}

describe('Slack approvals over HTTP', () => {
  it('posts a request to the channel; a signed Approve approves it with one event, updates the message, DMs and mails the requester', async () => {
    const w = await world();
    const requestId = await ask(w);
    const [posted] = await eventually(async () => (await postsOf(w, requestId)).length === 1 && postsOf(w, requestId), 15_000, 'the channel post');
    expect(posted!.text).toContain('alice asks for app_ro');
    expect(JSON.stringify(posted!.blocks)).toContain('INC-4711');
    expect(actionsOf(posted!.blocks)).toHaveLength(1);

    const approved = await postClick(apiUrl, w.click('bob', 'latchkey.approve', requestId), documentedFetch);
    expect(approved).toEqual({ status: 200, body: { outcome: 'approved', requestId, status: 'approved' } });
    expect(await eventsOf(w, requestId)).toEqual([
      ['request.created', 'alice'],
      ['request.approved', 'bob'],
    ]);

    const updated = await eventually(async () => {
      const [post] = await postsOf(w, requestId);
      return post && post.versions.length === 2 && post;
    }, 15_000, 'the message update');
    expect(updated.text).toContain('Approved');
    expect(actionsOf(updated.blocks)).toEqual([]);
    const dm = await eventually(async () => (await slackMessages(await imOf(w.ids.user('alice')))).find((m) => m.text.includes(requestId)), 15_000, "the requester's DM");
    expect(dm.text).toContain('Approved');
    const toAlice = async () => (await mails()).filter((m) => m.text.includes(`To: alice-${w.ids.team.toLowerCase()}@example.com`));
    // An empty list is truthy: wait for the mail itself, then count.
    const mail = await eventually(async () => (await toAlice()).length > 0 && toAlice(), 15_000, "the requester's email");
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('Subject: [Latchkey] Your request for app_ro on orders-prod: approved');
    expect(mail[0]!.text).toContain('latchkey connect orders-prod --user app_ro');
    const approverMail = (await mails()).filter((m) => m.text.includes(`To: dba-${w.ids.team.toLowerCase()}@example.com`));
    expect(approverMail).toHaveLength(1);
    expect(approverMail[0]!.text).toContain(`latchkey approve ${requestId}`);

    // Each event went to the webhook once, signed with the secret the admin was shown.
    const hooks = await eventually(async () => (await hookDeliveries(w.hook)).length >= 2 && hookDeliveries(w.hook), 15_000, 'the webhooks');
    expect(hooks.map((h) => JSON.parse(h.body).type)).toEqual(['request.created', 'request.approved']);
    for (const h of hooks) expect(verifyWebhook(w.secret, h.body, h.headers['latchkey-signature']!, new Date())).toBe(true);
    expect(verifyWebhook('whsec_wrong', hooks[0]!.body, hooks[0]!.headers['latchkey-signature']!, new Date())).toBe(false);
    // Still one message in the channel: updates edit it, nothing is posted twice.
    expect(await postsOf(w, requestId)).toHaveLength(1);
  });

  it('refuses a forged signature, a stale timestamp, a replay, the requester and a non-approver: nothing changes, one trace each', async () => {
    const w = await world();
    const requestId = await ask(w);
    await eventually(async () => (await postsOf(w, requestId)).length === 1, 15_000, 'the channel post');
    const since = new Date().toISOString();

    const forged = await postClick(apiUrl, signedClick(home, { teamId: w.ids.team, userId: w.ids.user('bob'), actionId: 'latchkey.approve', value: requestId }, { secret: 'not-the-signing-secret' }), documentedFetch);
    expect(forged).toMatchObject({ status: 401, body: { error: 'slack_signature_invalid', details: { reason: 'bad_signature' } } });
    expect(await unverifiedRefusals(since)).toBe(1);

    const stale = await postClick(apiUrl, signedClick(home, { teamId: w.ids.team, userId: w.ids.user('bob'), actionId: 'latchkey.approve', value: requestId }, { at: new Date(Date.now() - 6 * 60_000) }), documentedFetch);
    expect(stale).toMatchObject({ status: 401, body: { details: { reason: 'stale_timestamp' } } });
    expect(await unverifiedRefusals(since)).toBe(2);

    const own = w.click('alice', 'latchkey.approve', requestId);
    expect(await postClick(apiUrl, own, documentedFetch)).toEqual({ status: 200, body: { outcome: 'refused', reason: 'forbidden' } });
    const replayed = await postClick(apiUrl, own, documentedFetch);
    expect(replayed).toMatchObject({ status: 401, body: { details: { reason: 'replayed' } } });
    expect(await unverifiedRefusals(since)).toBe(3);

    const outsider = await postClick(apiUrl, w.click('mallory', 'latchkey.approve', requestId), documentedFetch);
    expect(outsider).toEqual({ status: 200, body: { outcome: 'refused', reason: 'not_found' } });

    expect(await statusOf(w.alice, requestId)).toBe('pending');
    expect(await eventsOf(w, requestId)).toEqual([
      ['request.created', 'alice'],
      ['slack.action_refused', 'alice', 'forbidden'],
      ['slack.action_refused', 'mallory', 'not_found'],
    ]);
    expect((await slackEphemerals()).filter((e) => e.user === w.ids.user('alice')).map((e) => e.text)).toContain('You cannot approve your own request.');
    // The message is untouched, buttons and all.
    const [post] = await postsOf(w, requestId);
    expect(post!.versions).toHaveLength(1);
    expect(actionsOf(post!.blocks)).toHaveLength(1);
  });

  it("refuses a Slack Approve the policy's step-up covers, once, and tells the approver to use `latchkey approve`", async () => {
    const w = await world({ policy: { stepUp: { approve: { maxAgeMinutes: 10, mfa: false } } } });
    const requestId = await ask(w);
    await eventually(async () => (await postsOf(w, requestId)).length === 1, 15_000, 'the channel post');
    const refused = await postClick(apiUrl, w.click('bob', 'latchkey.approve', requestId), documentedFetch);
    expect(refused).toEqual({ status: 200, body: { outcome: 'refused', reason: 'step_up_required' } });
    expect(await statusOf(w.alice, requestId)).toBe('pending');
    expect(await eventsOf(w, requestId)).toEqual([
      ['request.created', 'alice'],
      ['slack.action_refused', 'bob', 'step_up_required'],
    ]);
    const told = (await slackEphemerals()).filter((e) => e.user === w.ids.user('bob')).map((e) => e.text);
    expect(told).toContainEqual(expect.stringContaining(`latchkey approve ${requestId}`));
  });

  it('announces a break-glass grant at once in the policy channel and the security channel, with no buttons', async () => {
    const w = await world({ policy: { breakGlass: { groups: [], principals: ['alice'], maxDurationMinutes: 30, maxPerPersonPerDay: 3 } }, securityChannel: true });
    const opened = await w.alice.post('/requests', { targetId: w.targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: 'orders down INC-9', breakGlass: true });
    expect(opened.body).toMatchObject({ status: 'approved' });
    const requestId = opened.body.requestId as string;
    for (const channel of [w.ids.channel, w.securityChannel]) {
      const [post] = await eventually(async () => (await slackMessages(channel)).filter((m) => JSON.stringify(m.blocks).includes(requestId)).length === 1 && slackMessages(channel), 15_000, `the break-glass post in ${channel}`);
      expect(post!.text).toContain('BREAK-GLASS: alice opened app_ro');
      expect(actionsOf(post!.blocks)).toEqual([]);
    }
    const hooks = await eventually(async () => (await hookDeliveries(w.hook)).length >= 2 && hookDeliveries(w.hook), 15_000, 'the webhooks');
    expect(hooks.map((h) => [JSON.parse(h.body).type, JSON.parse(h.body).request.breakGlass])).toEqual([
      ['request.created', true],
      ['request.break_glass_opened', true],
    ]);
  });

  it('retries a failing webhook without repeating the channels that got through, and parks it for admins when it keeps failing', async () => {
    const w = await world();
    await failHook(w.hook, 2);
    const requestId = await ask(w);
    // Two failures, then the third attempt gets through; the batch came back twice, the post and the mail did not.
    await eventually(async () => (await hookDeliveries(w.hook)).length === 3, 20_000, 'the third webhook attempt');
    expect(await postsOf(w, requestId)).toHaveLength(1);
    expect((await mails()).filter((m) => m.text.includes(`To: dba-${w.ids.team.toLowerCase()}@example.com`))).toHaveLength(1);

    await failHook(w.hook, 10);
    const approved = await postClick(apiUrl, w.click('bob', 'latchkey.approve', requestId), documentedFetch);
    expect(approved.body).toMatchObject({ outcome: 'approved' });
    const parked = await eventually(async () => {
      const answer = await w.admin.get('/notifications/failures');
      return answer.body.items.length > 0 && answer.body.items;
    }, 20_000, 'the parked delivery');
    expect(parked).toEqual([expect.objectContaining({ channel: expect.stringMatching(/^webhook:wh_/), action: 'request.approved', requestId, attempts: 3 })]);
    expect(parked[0].lastError).toContain('500');
    // The decision never waited on the webhook, and the other channels of the approval went out once each.
    expect(await statusOf(w.alice, requestId)).toBe('approved');
    const [post] = await postsOf(w, requestId);
    expect(post!.versions).toHaveLength(2);
    expect((await slackMessages(await imOf(w.ids.user('alice')))).filter((m) => m.text.includes(requestId))).toHaveLength(1);
    // Only admins see failures.
    expect((await w.alice.get('/notifications/failures')).status).toBe(403);
  });

  it('DMs the requester before the grant ends (the remind-ending schedule, every 60 s in the local stack)', async () => {
    const w = await world();
    const created = await w.alice.post('/requests', { targetId: w.targetId, databaseUser: 'app_ro', durationMinutes: 10, reason: 'INC-4712' });
    const { requestId } = created.body;
    expect((await postClick(apiUrl, w.click('bob', 'latchkey.approve', requestId), documentedFetch)).body).toMatchObject({ outcome: 'approved' });
    const reminder = await eventually(
      async () => (await slackMessages(await imOf(w.ids.user('alice')))).find((m) => m.text.includes(`latchkey extend ${requestId}`)),
      80_000,
      'the ending-soon DM',
    );
    expect(reminder.text).toContain('ends at');
  }, 100_000);
});
