import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, webhookSecret } from '#shared/notifications/webhook-signature';

describe('webhook signatures', () => {
  const secret = webhookSecret('deployment-key', 'acme', 'wh_00000000000000000001');
  const body = '{"type":"request.approved"}';
  const now = new Date('2030-01-15T09:00:00Z');

  it('is HMAC-SHA256 over "<t>.<body>" with the webhook secret, as docs/notifications.md says', () => {
    const header = signWebhook(secret, body, now);
    const t = Math.floor(now.getTime() / 1000);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
  });

  it('derives one secret per tenant and webhook, from the deployment key', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhookSecret('deployment-key', 'globex', 'wh_00000000000000000001')).not.toBe(secret);
    expect(webhookSecret('deployment-key', 'acme', 'wh_00000000000000000002')).not.toBe(secret);
    expect(webhookSecret('other-key', 'acme', 'wh_00000000000000000001')).not.toBe(secret);
  });

  it.each([
    ['the signed body, now', body, signWebhook(secret, body, now), now, true],
    ['five minutes later', body, signWebhook(secret, body, now), new Date(now.getTime() + 300_000), true],
    ['six minutes later', body, signWebhook(secret, body, now), new Date(now.getTime() + 360_000), false],
    ['another body', '{"type":"request.denied"}', signWebhook(secret, body, now), now, false],
    ['another secret', body, signWebhook(`${secret}x`, body, now), now, false],
    ['a garbled header', body, 'v1=abc', now, false],
  ])('verifies %s: %s', (_name, b, header, at, ok) => {
    expect(verifyWebhook(secret, b, header, at)).toBe(ok);
  });
});
