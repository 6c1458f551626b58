import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningCredential } from './aws-standin/model.ts';
import { startNotifyStandin } from './notify-standin/server.ts';

// The stack's notification stand-in and its secrets. The secrets are made once per home and kept in
// `<home>/notify/secrets.json` (0600): the stand-in serves them as Secrets Manager would, and tests read the
// signing secret from there to sign interactive payloads as Slack does (tests/support/slack.ts).

export type LocalNotifySecrets = { slackBotToken: string; slackSigningSecret: string; webhookKey: string; slackTeamId: string };

/** The secret names serverless.yml's defaults give (params slackBotTokenSecret, …). */
export const localSecretNames = { slackBotToken: 'latchkey/slack/bot-token', slackSigningSecret: 'latchkey/slack/signing-secret', webhookKey: 'latchkey/webhooks/signing-key' };

export function notifySecretsFile(home: string): string {
  return join(home, 'notify', 'secrets.json');
}

export function readLocalNotifySecrets(home: string): LocalNotifySecrets {
  return JSON.parse(readFileSync(notifySecretsFile(home), 'utf8')) as LocalNotifySecrets;
}

function ensureSecrets(home: string): LocalNotifySecrets {
  const file = notifySecretsFile(home);
  if (existsSync(file)) return readLocalNotifySecrets(home);
  const secrets: LocalNotifySecrets = {
    slackBotToken: `xoxb-local-${randomBytes(12).toString('hex')}`,
    slackSigningSecret: randomBytes(16).toString('hex'),
    webhookKey: randomBytes(32).toString('base64url'),
    slackTeamId: 'T0LOCAL001',
  };
  mkdirSync(join(home, 'notify'), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function startLocalNotifyStandin(options: { home: string; port: number; region: string; credentialLookup: (id: string) => SigningCredential | undefined }) {
  const secrets = ensureSecrets(options.home);
  const standin = await startNotifyStandin({
    port: options.port,
    botToken: secrets.slackBotToken,
    teamId: secrets.slackTeamId,
    secrets: new Map([
      [localSecretNames.slackBotToken, secrets.slackBotToken],
      [localSecretNames.slackSigningSecret, secrets.slackSigningSecret],
      [localSecretNames.webhookKey, secrets.webhookKey],
    ]),
    mailDir: join(options.home, 'mail'),
    region: options.region,
    credentialLookup: options.credentialLookup,
  });
  return {
    ...standin,
    /** What the handlers read: where Slack, Secrets Manager and SES are, and who mail is from. */
    env: {
      SLACK_API_URL: `${standin.url}/api/`,
      SECRETS_ENDPOINT: standin.url,
      SES_ENDPOINT: standin.url,
      EMAIL_FROM: 'latchkey@notify.example.com',
      WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
    },
  };
}
