import { randomBytes } from 'node:crypto';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { canAdminister, type Principal } from '../kernel/principal.ts';
import type { Clock } from '../kernel/ports.ts';
import type { DeliveryLedger, NotificationSecrets, NotificationSettings, NotificationSettingsStore, ParkedDelivery } from './ports.ts';
import { webhookSecret } from './webhook-signature.ts';

export type SettingsDeps = {
  clock: Clock;
  settings: Pick<NotificationSettingsStore, 'get' | 'put'>;
  secrets: Pick<NotificationSecrets, 'webhookKey'>;
  ledger: Pick<DeliveryLedger, 'listParked'>;
  /** Local stack only: webhooks to http://127.0.0.1 (the local receiver); everywhere else HTTPS only. */
  allowLoopbackHttp: boolean;
};

export type SettingsInput = { slackTeamId?: string; securityChannel?: string; webhooks: { webhookId?: string; url: string }[] };

function admin(principal: Principal): void {
  if (!canAdminister(principal)) throw new ForbiddenError('Only tenant admins can change notification settings.');
}

function checkUrl(url: string, allowLoopbackHttp: boolean): void {
  const parsed = new URL(url);
  const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  if (parsed.protocol === 'https:' && !loopback) return;
  if (allowLoopbackHttp && loopback && parsed.protocol === 'http:') return;
  throw new ValidationError('A webhook must be an HTTPS URL of a public host.', { url });
}

/**
 * PUT /notifications/settings (admins): the tenant's Slack workspace and webhooks, written whole.
 * A webhook keeps its id (and so its secret) when the body names it; a new one gets a fresh id.
 * The Slack workspace is claimed for this tenant alone (409 when another tenant holds it).
 */
export async function putSettings(deps: SettingsDeps, principal: Principal, input: SettingsInput): Promise<NotificationSettings> {
  admin(principal);
  const before = await deps.settings.get(principal.tenantId);
  const known = new Set(before?.webhooks.map((w) => w.webhookId));
  for (const hook of input.webhooks) {
    checkUrl(hook.url, deps.allowLoopbackHttp);
    if (hook.webhookId && !known.has(hook.webhookId)) throw new ValidationError('The body names a webhook this tenant does not have.', { webhookId: hook.webhookId });
  }
  const settings: NotificationSettings = {
    tenantId: principal.tenantId,
    ...(input.slackTeamId ? { slackTeamId: input.slackTeamId } : {}),
    ...(input.securityChannel ? { securityChannel: input.securityChannel } : {}),
    webhooks: input.webhooks.map((w) => ({ webhookId: w.webhookId ?? `wh_${randomBytes(10).toString('hex')}`, url: w.url })),
    version: (before?.version ?? 0) + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: principal.id,
  };
  await deps.settings.put(settings, before?.version ?? 0, before?.slackTeamId);
  return settings;
}

export async function getSettings(deps: Pick<SettingsDeps, 'settings'>, principal: Principal): Promise<NotificationSettings> {
  admin(principal);
  return (await deps.settings.get(principal.tenantId)) ?? { tenantId: principal.tenantId, webhooks: [], version: 0, updatedAt: '', updatedBy: '' };
}

/** The settings as an admin reads them: each webhook with the secret its signatures are made with. */
export async function settingsDto(deps: Pick<SettingsDeps, 'secrets'>, settings: NotificationSettings) {
  const key = settings.webhooks.length > 0 ? await deps.secrets.webhookKey() : '';
  return {
    ...(settings.slackTeamId ? { slackTeamId: settings.slackTeamId } : {}),
    ...(settings.securityChannel ? { securityChannel: settings.securityChannel } : {}),
    webhooks: settings.webhooks.map((w) => ({ ...w, secret: webhookSecret(key, settings.tenantId, w.webhookId) })),
    version: settings.version,
  };
}

/** GET /notifications/failures (admins): deliveries that failed every attempt and were parked. */
export async function listParked(deps: Pick<SettingsDeps, 'ledger'>, principal: Principal, limit: number): Promise<ParkedDelivery[]> {
  admin(principal);
  return deps.ledger.listParked(principal.tenantId, limit);
}
