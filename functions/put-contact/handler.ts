import { contactBody, contactDto, putContact } from '#shared/notifications/index';
import { contactDeps, route } from '#shared/wiring/notifications';

export const handler = route({ body: contactBody }, async ({ principal, body }) => ({ status: 200, body: contactDto(await putContact(contactDeps, principal, body)) }));
