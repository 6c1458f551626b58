import type { WebhookSender } from '../../notifications/index.ts';

// Tenant webhooks: one POST, a few seconds at most, no redirects followed (a redirect could point anywhere).
export class FetchWebhookSender implements WebhookSender {
  constructor(private readonly timeoutMs = 5_000) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    // The receiver's body is not read into the error: it is theirs, and may echo anything.
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) throw new Error(`the webhook answered ${response.status}`);
  }
}
