import { failuresQuery, listParked } from '#shared/notifications/index';
import { route, settingsDeps } from '#shared/wiring/notifications';

export const handler = route({ query: failuresQuery }, async ({ principal, query }) => ({ status: 200, body: { items: await listParked(settingsDeps, principal, query.limit) } }));
