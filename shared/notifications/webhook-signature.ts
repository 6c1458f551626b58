import { createHmac, timingSafeEqual } from 'node:crypto';

// How tenant webhooks are signed (docs/notifications.md has the scheme and a verification snippet):
//   Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The secret of one webhook is derived from the deployment's webhook key (Secrets Manager), the tenant and the
// webhook id, so Latchkey stores no per-webhook secret and an admin can read it again (GET /notifications/settings).

export const webhookSignatureHeader = 'latchkey-signature';
export const webhookEventHeader = 'latchkey-event-id';

export function webhookSecret(key: string, tenantId: string, webhookId: string): string {
  return `whsec_${createHmac('sha256', key).update(`latchkey-webhook\n${tenantId}\n${webhookId}`).digest('base64url')}`;
}

export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** The receiver's side (what docs/notifications.md shows): a valid signature made within `toleranceSeconds`. */
export function verifyWebhook(secret: string, body: string, header: string, now: Date, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
