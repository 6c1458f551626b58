import { WebClient } from '@slack/web-api';
import type { NotificationSecrets, SlackApi, SlackMessage } from '../../notifications/index.ts';

// Slack's own client (@slack/web-api). The bot token comes from Secrets Manager through Powertools Parameters
// (cached there); a WebClient is made once per token, so a rotated token takes effect at the next read.
// `apiUrl` is set only for the local stack's stand-in (dev/notify-standin); in AWS it is Slack's own.

export class SlackWebApi implements SlackApi {
  private client?: { token: string; web: WebClient };

  constructor(private readonly secrets: Pick<NotificationSecrets, 'slackBotToken'>, private readonly apiUrl?: string) {}

  async postMessage(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }> {
    const answer = await (await this.web()).chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false });
    if (!answer.ts || !answer.channel) throw new Error('chat.postMessage answered without channel and ts');
    return { channel: answer.channel, ts: answer.ts };
  }

  async updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await (await this.web()).chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
  }

  async postEphemeral(channel: string, user: string, text: string): Promise<void> {
    await (await this.web()).chat.postEphemeral({ channel, user, text });
  }

  async openDm(userId: string): Promise<string> {
    const answer = await (await this.web()).conversations.open({ users: userId });
    const id = answer.channel?.id;
    if (!id) throw new Error('conversations.open answered without a channel');
    return id;
  }

  private async web(): Promise<WebClient> {
    const token = await this.secrets.slackBotToken();
    if (this.client?.token !== token) {
      // Retries stay with the stream: a failed call fails the delivery, which is retried then parked (deliver-event.ts).
      this.client = { token, web: new WebClient(token, { ...(this.apiUrl ? { slackApiUrl: this.apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }) };
    }
    return this.client.web;
  }
}
