import { putSettings, settingsBody, settingsDto } from '#shared/notifications/index';
import { route, settingsDeps } from '#shared/wiring/notifications';

export const handler = route({ body: settingsBody }, async ({ principal, body }) => ({
  status: 200,
  body: await settingsDto(settingsDeps, await putSettings(settingsDeps, principal, body)),
}));
