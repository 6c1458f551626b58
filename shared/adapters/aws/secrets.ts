import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { NotificationSecrets } from '../../notifications/index.ts';

// The deployment's notification secrets, from AWS Secrets Manager through Powertools Parameters, cached for
// five minutes per container (a rotation reaches every container within that). The environment holds only
// the secrets' names; the values never pass through it, a log line or an error message.

export type SecretNames = { slackBotToken: string; slackSigningSecret: string; webhookKey: string };

export class ParameterSecrets implements NotificationSecrets {
  constructor(private readonly provider: SecretsProvider, private readonly names: SecretNames, private readonly maxAge = 300) {}

  slackBotToken = () => this.read(this.names.slackBotToken);
  slackSigningSecret = () => this.read(this.names.slackSigningSecret);
  webhookKey = () => this.read(this.names.webhookKey);

  private async read(name: string): Promise<string> {
    const value = await this.provider.get(name, { maxAge: this.maxAge });
    if (typeof value !== 'string' || value === '') throw new Error(`secret ${name} is empty or not a string`);
    return value;
  }
}

export function createSecretsProvider(config: { AWS_REGION: string; SECRETS_ENDPOINT?: string | undefined }): SecretsProvider {
  return new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({ region: config.AWS_REGION, ...(config.SECRETS_ENDPOINT ? { endpoint: config.SECRETS_ENDPOINT } : {}) }) });
}
