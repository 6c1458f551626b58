import { loadNotificationConfig } from '../config.ts';
import { ConcurrentModificationError } from '../kernel/errors.ts';
import { createSecretsProvider, ParameterSecrets } from '../adapters/aws/secrets.ts';
import { createSesClient, SesMailer } from '../adapters/aws/ses-mailer.ts';
import { DynamoContactStore, DynamoDeliveryLedger, DynamoInteractionGuard, DynamoNotificationSettingsStore } from '../adapters/dynamodb/notification-store.ts';
import { FetchWebhookSender } from '../adapters/http/webhook-sender.ts';
import { SlackWebApi } from '../adapters/slack/slack-web-api.ts';
import type { Mailer } from '../notifications/index.ts';
import { type ContactDeps, type InteractionDeps, type NotifierDeps, type ReminderDeps, type SettingsDeps } from '../notifications/index.ts';
import { asTenant, config, db, deps, log, systemClock, tables } from './index.ts';

export { route } from './index.ts';

// Module scope, once per container: the notification functions' collaborators.
export const notificationConfig = loadNotificationConfig();
const secrets = new ParameterSecrets(createSecretsProvider({ AWS_REGION: config.AWS_REGION, SECRETS_ENDPOINT: notificationConfig.SECRETS_ENDPOINT }), {
  slackBotToken: notificationConfig.SLACK_BOT_TOKEN_SECRET,
  slackSigningSecret: notificationConfig.SLACK_SIGNING_SECRET_SECRET,
  webhookKey: notificationConfig.WEBHOOK_KEY_SECRET,
});
const slack = new SlackWebApi(secrets, notificationConfig.SLACK_API_URL);
const settings = new DynamoNotificationSettingsStore(db, tables);
const contacts = new DynamoContactStore(db, tables);
const ledger = new DynamoDeliveryLedger(db, tables);
const from = notificationConfig.EMAIL_FROM;
// Without a sender address there is no mail: a delivery fails (and is parked), saying so.
const mailer: Mailer = from
  ? new SesMailer(createSesClient({ AWS_REGION: config.AWS_REGION, SES_ENDPOINT: notificationConfig.SES_ENDPOINT }), from)
  : { send: () => Promise.reject(new Error('EMAIL_FROM is not configured')) };
const links = notificationConfig.CONSOLE_URL ? { consoleUrl: notificationConfig.CONSOLE_URL } : {};

export const notifierDeps: NotifierDeps = {
  clock: systemClock,
  requests: deps.requests,
  targets: deps.targets,
  settings,
  contacts,
  ledger,
  slack,
  mailer,
  webhooks: new FetchWebhookSender(),
  secrets,
  links,
  maxAttempts: notificationConfig.NOTIFY_MAX_ATTEMPTS,
  asTenant,
};

/** The scheduled ending-soon reminder: the notifier's collaborators, and the deadline index of requests. */
export const reminderDeps: ReminderDeps = { ...notifierDeps, requests: deps.requests };

export const interactionDeps: InteractionDeps = {
  clock: systemClock,
  secrets,
  guard: new DynamoInteractionGuard(db, tables),
  settings,
  contacts,
  slack,
  decisions: deps,
  // An event with no state item: nothing it could conflict with but the chain head, which the writer retries itself.
  audit: { record: async (entry) => void (await log.write([], [entry], () => new ConcurrentModificationError('The grant log'))) },
  links,
  asTenant,
};

export const contactDeps: ContactDeps = { clock: systemClock, contacts, slack };

export const settingsDeps: SettingsDeps = { clock: systemClock, settings, secrets, ledger, allowLoopbackHttp: notificationConfig.WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true' };
