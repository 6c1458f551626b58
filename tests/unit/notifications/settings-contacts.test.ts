import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '#shared/kernel/errors';
import { getSettings, listParked, putContact, putSettings, settingsDto, SlackAction, type SettingsDeps } from '#shared/notifications/index';
import { webhookSecret } from '#shared/notifications/webhook-signature';
import { people } from '../../support/world.ts';
import { aService, TENANT } from '../../support/fakes/index.ts';
import { notifyWorld, slackIdOf } from './notify-world.ts';

function settingsWorld(allowLoopbackHttp = false) {
  const w = notifyWorld();
  const deps: SettingsDeps = { clock: w.deps.clock, settings: w.settings, secrets: w.notifier.secrets, ledger: w.ledger, allowLoopbackHttp };
  return { w, deps };
}

describe('notification settings', () => {
  it('are for admins only', async () => {
    const { deps } = settingsWorld();
    await expect(putSettings(deps, people.bob, { webhooks: [] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getSettings(deps, people.amy)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listParked(deps, people.alice, 10)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it.each([
    ['plain http', 'http://siem.example.com/in', false],
    ['http to loopback, outside the local stack', 'http://127.0.0.1:9/hooks/x', false],
    ['https to loopback', 'https://127.0.0.1/hooks/x', false],
    ['https to a public host', 'https://siem.example.com/in', true],
  ])('takes webhooks over HTTPS to public hosts only: %s', async (_name, url, ok) => {
    const { deps } = settingsWorld();
    const attempt = putSettings(deps, people.erin, { webhooks: [{ url }] });
    if (ok) await expect(attempt).resolves.toMatchObject({ webhooks: [{ url }] });
    else await expect(attempt).rejects.toBeInstanceOf(ValidationError);
  });

  it('lets the local stack send to its loopback receiver', async () => {
    const { deps } = settingsWorld(true);
    await expect(putSettings(deps, people.erin, { webhooks: [{ url: 'http://127.0.0.1:4488/hooks/siem' }] })).resolves.toMatchObject({ version: 2 });
  });

  it('keeps a webhook id (and so its secret) when the body names it, refuses ids the tenant never had', async () => {
    const { w, deps } = settingsWorld();
    const [kept] = (await getSettings(deps, people.erin)).webhooks;
    const next = await putSettings(deps, people.erin, { webhooks: [{ webhookId: kept!.webhookId, url: 'https://siem.example.com/v2' }, { url: 'https://other.example.com/in' }] });
    expect(next.webhooks[0]).toEqual({ webhookId: kept!.webhookId, url: 'https://siem.example.com/v2' });
    expect(next.webhooks[1]!.webhookId).toMatch(/^wh_[0-9a-f]{20}$/);
    const dto = await settingsDto(deps, next);
    expect(dto.webhooks[0]!.secret).toBe(webhookSecret('webhook-key-for-tests', TENANT, kept!.webhookId));
    await expect(putSettings(deps, people.erin, { webhooks: [{ webhookId: 'wh_ffffffffffffffffffff', url: 'https://x.example.com/' }] })).rejects.toBeInstanceOf(ValidationError);
    expect(w.settings.byTenant.get(TENANT)?.version).toBe(2);
  });
});

describe('contacts', () => {
  it('sends a Confirm button to a Slack member not yet confirmed, and keeps a snapshot of who linked', async () => {
    const w = notifyWorld();
    const deps = { clock: w.deps.clock, contacts: w.contacts, slack: w.slack };
    const contact = await putContact(deps, people.bob, { slackUserId: slackIdOf('bob'), email: 'bob@example.com' });
    expect(contact.principal).toEqual({ id: 'bob', kind: 'user', tenantId: TENANT, roles: ['approver'], groups: ['dba'] });
    expect(contact.slackConfirmedAt).toBeUndefined();
    const [dm] = w.slack.posts;
    const button = (dm!.message.blocks[1] as { elements: { action_id: string; value: string }[] }).elements[0]!;
    expect(dm!.channel).toBe(`D${slackIdOf('bob').slice(1)}`);
    expect(button).toMatchObject({ action_id: SlackAction.confirmLink, value: `${contact.slackNonce} bob` });
    // Not yet confirmed: nobody acts as bob from Slack.
    expect(await w.contacts.bySlackUser(TENANT, slackIdOf('bob'))).toBeUndefined();
  });

  it('keeps a confirmed link when the same member is named again, and asks again for another one', async () => {
    const w = notifyWorld();
    const deps = { clock: w.deps.clock, contacts: w.contacts, slack: w.slack };
    await w.link(people.bob);
    const again = await putContact(deps, people.bob, { slackUserId: slackIdOf('bob') });
    expect(again.slackConfirmedAt).toBeDefined();
    expect(w.slack.posts).toEqual([]);
    const moved = await putContact(deps, people.bob, { slackUserId: slackIdOf('carol') });
    expect(moved.slackConfirmedAt).toBeUndefined();
    expect(w.slack.posts).toHaveLength(1);
    expect(await w.contacts.bySlackUser(TENANT, slackIdOf('bob'))).toBeUndefined();
  });

  it('is for people, not services', async () => {
    const w = notifyWorld();
    await expect(putContact({ clock: w.deps.clock, contacts: w.contacts, slack: w.slack }, aService('etl', []), { email: 'etl@example.com' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
