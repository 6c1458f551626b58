import { randomBytes } from 'node:crypto';
import { ForbiddenError } from '../kernel/errors.ts';
import type { Principal } from '../kernel/principal.ts';
import type { Clock } from '../kernel/ports.ts';
import { linkConfirmationDm } from './messages.ts';
import type { Contact, ContactStore, SlackApi } from './ports.ts';

export type ContactDeps = { clock: Clock; contacts: Pick<ContactStore, 'get' | 'put'>; slack: Pick<SlackApi, 'openDm' | 'postMessage'> };
export type ContactInput = { email?: string; slackUserId?: string };

/** How long a link's snapshot of roles and groups is trusted before the person must link again. */
export const contactLifetimeDays = 30;

/**
 * PUT /me/contact: a person says where to reach them and which Slack user is them.
 * 1. people only (a service has no Slack);
 * 2. the snapshot of who they are now (roles, groups) replaces the old one, valid for contactLifetimeDays;
 * 3. a Slack user that is not already confirmed for them gets a DM with a Confirm button: until that user clicks
 *    it, nothing they click acts as this person (so naming someone else's Slack id gains nothing).
 */
export async function putContact(deps: ContactDeps, principal: Principal, input: ContactInput): Promise<Contact> {
  if (principal.kind !== 'user') throw new ForbiddenError('Only people have contact details.');
  const now = deps.clock.now();
  const before = await deps.contacts.get(principal.tenantId, principal.id);
  const sameSlack = before?.slackConfirmedAt !== undefined && before.slackUserId === input.slackUserId;
  const nonce = input.slackUserId && !sameSlack ? randomBytes(18).toString('base64url') : undefined;
  const contact: Contact = {
    tenantId: principal.tenantId,
    principal: { id: principal.id, kind: 'user', tenantId: principal.tenantId, roles: [...principal.roles], groups: [...principal.groups], ...(principal.displayName ? { displayName: principal.displayName } : {}) },
    ...(input.email ? { email: input.email } : {}),
    ...(input.slackUserId ? { slackUserId: input.slackUserId } : {}),
    ...(sameSlack && before?.slackConfirmedAt ? { slackConfirmedAt: before.slackConfirmedAt } : {}),
    ...(nonce ? { slackNonce: nonce } : {}),
    linkedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + contactLifetimeDays * 86_400_000).toISOString(),
  };
  await deps.contacts.put(contact);
  if (nonce && input.slackUserId) await deps.slack.postMessage(await deps.slack.openDm(input.slackUserId), linkConfirmationDm(principal.id, nonce));
  return contact;
}

export async function getContact(deps: Pick<ContactDeps, 'contacts'>, principal: Principal): Promise<Contact | undefined> {
  return deps.contacts.get(principal.tenantId, principal.id);
}

/** What the owner sees of their contact: never the nonce. */
export function contactDto(contact: Contact) {
  return {
    principalId: contact.principal.id,
    ...(contact.email ? { email: contact.email } : {}),
    ...(contact.slackUserId ? { slackUserId: contact.slackUserId, slackConfirmed: contact.slackConfirmedAt !== undefined } : {}),
    roles: [...contact.principal.roles],
    groups: [...contact.principal.groups],
    linkedAt: contact.linkedAt,
    expiresAt: contact.expiresAt,
  };
}
