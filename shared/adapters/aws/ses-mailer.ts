import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Email, Mailer } from '../../notifications/index.ts';

// SES v2 SendEmail, plain text. `from` is a verified SES identity (serverless.yml param emailFrom).
export class SesMailer implements Mailer {
  constructor(private readonly client: SESv2Client, private readonly from: string) {}

  async send(email: Email): Promise<{ messageId: string }> {
    const answer = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: email.to },
        Content: { Simple: { Subject: { Data: email.subject, Charset: 'UTF-8' }, Body: { Text: { Data: email.text, Charset: 'UTF-8' } } } },
      }),
    );
    return { messageId: answer.MessageId ?? '' };
  }
}

export function createSesClient(config: { AWS_REGION: string; SES_ENDPOINT?: string | undefined }): SESv2Client {
  return new SESv2Client({ region: config.AWS_REGION, ...(config.SES_ENDPOINT ? { endpoint: config.SES_ENDPOINT } : {}), maxAttempts: 2 });
}
