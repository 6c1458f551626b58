import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

// Secrets Manager GetSecretValue (JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`) and SES v2 SendEmail
// (REST JSON, POST /v2/email/outbound-emails), the two calls Latchkey makes; the caller's SigV4 signature is
// checked by server.ts before either runs.

export class AwsJsonError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export function getSecretValue(secrets: ReadonlyMap<string, string>, body: string, region: string): Record<string, unknown> {
  const input = parseJson(body) as { SecretId?: unknown };
  const id = typeof input.SecretId === 'string' ? input.SecretId : '';
  const value = secrets.get(id);
  if (value === undefined) throw new AwsJsonError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return { ARN: `arn:aws:secretsmanager:${region}:000000000000:secret:${id}-AbCdEf`, Name: id, SecretString: value, VersionId: '00000000-0000-0000-0000-000000000001', VersionStages: ['AWSCURRENT'], CreatedDate: 1_767_225_600 };
}

type SendEmailInput = {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } } };
};

/** Writes the message to `<mailDir>/<MessageId>.eml` and answers its MessageId. */
export function sendEmail(mailDir: string, body: string): { MessageId: string } {
  const input = parseJson(body) as SendEmailInput;
  const to = input.Destination?.ToAddresses ?? [];
  const simple = input.Content?.Simple;
  if (!input.FromEmailAddress) throw new AwsJsonError(400, 'BadRequestException', 'FromEmailAddress is required.');
  if (to.length === 0) throw new AwsJsonError(400, 'BadRequestException', 'Missing final @domain');
  if (!simple?.Subject?.Data || !(simple.Body?.Text?.Data ?? simple.Body?.Html?.Data)) throw new AwsJsonError(400, 'BadRequestException', 'Simple content needs a subject and a body.');
  const messageId = `0100${Date.now().toString(16)}-${randomUUID()}-000000`;
  mkdirSync(mailDir, { recursive: true });
  const eml = [
    `Message-ID: <${messageId}@email.amazonses.com>`,
    `Date: ${new Date().toUTCString()}`,
    `From: ${input.FromEmailAddress}`,
    `To: ${to.join(', ')}`,
    `Subject: ${simple.Subject.Data}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    simple.Body?.Text?.Data ?? simple.Body?.Html?.Data ?? '',
  ].join('\r\n');
  writeFileSync(join(mailDir, `${messageId}.eml`), eml);
  return { MessageId: messageId };
}

function parseJson(body: string): unknown {
  try {
    return body === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsJsonError(400, 'SerializationException', 'The request body is not valid JSON.');
  }
}
