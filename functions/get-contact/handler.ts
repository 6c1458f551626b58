import { NotFoundError } from '#shared/kernel/errors';
import { contactDto, getContact } from '#shared/notifications/index';
import { contactDeps, route } from '#shared/wiring/notifications';

export const handler = route({}, async ({ principal }) => {
  const contact = await getContact(contactDeps, principal);
  if (!contact) throw new NotFoundError('Your contact');
  return { status: 200, body: contactDto(contact) };
});
