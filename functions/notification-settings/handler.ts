import { getSettings, settingsDto } from '#shared/notifications/index';
import { route, settingsDeps } from '#shared/wiring/notifications';

export const handler = route({}, async ({ principal }) => ({ status: 200, body: await settingsDto(settingsDeps, await getSettings(settingsDeps, principal)) }));
