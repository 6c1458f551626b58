// Slack's Web API, the methods Latchkey calls (chat.postMessage, chat.update, chat.postEphemeral,
// conversations.open), as https://api.slack.com/methods documents them: POST, form or JSON body, the bot token
// as `Authorization: Bearer`, and always HTTP 200 with `{ ok: false, error }` for what Slack refuses.

export type SlackPost = { channel: string; ts: string; text: string; blocks: unknown[]; versions: { text: string; blocks: unknown[] }[] };
export type Ephemeral = { channel: string; user: string; text: string; at: string };

export class SlackWorkspace {
  readonly messages: SlackPost[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly ims = new Map<string, string>();
  /** Calls that fail next, by method: `{ ok: false, error }` (or an HTTP 500 when error is `http_500`). */
  readonly failNext = new Map<string, { times: number; error: string }>();
  private counter = 0;

  constructor(readonly botToken: string, readonly teamId: string) {}

  call(method: string, authorization: string | undefined, args: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    if (authorization !== `Bearer ${this.botToken}`) return ok200({ ok: false, error: authorization ? 'invalid_auth' : 'not_authed' });
    const failing = this.failNext.get(method);
    if (failing && failing.times > 0) {
      failing.times -= 1;
      return failing.error === 'http_500' ? { status: 500, body: { ok: false, error: 'internal_error' } } : ok200({ ok: false, error: failing.error });
    }
    switch (method) {
      case 'chat.postMessage':
        return ok200(this.post(args));
      case 'chat.update':
        return ok200(this.update(args));
      case 'chat.postEphemeral':
        return ok200(this.ephemeral(args));
      case 'conversations.open':
        return ok200(this.open(args));
      case 'auth.test':
        return ok200({ ok: true, team_id: this.teamId, user_id: 'UBOT00001', bot_id: 'BLATCHKEY' });
      default:
        return ok200({ ok: false, error: 'unknown_method' });
    }
  }

  private post(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    if (!/^[CGD][A-Z0-9]{2,20}$/.test(channel)) return { ok: false, error: 'channel_not_found' };
    if (channel.startsWith('D') && ![...this.ims.values()].includes(channel)) return { ok: false, error: 'channel_not_found' };
    const blocks = parseBlocks(args.blocks);
    if (blocks === undefined) return { ok: false, error: 'invalid_blocks' };
    if (!args.text && blocks.length === 0) return { ok: false, error: 'no_text' };
    const ts = this.nextTs();
    const text = String(args.text ?? '');
    this.messages.push({ channel, ts, text, blocks, versions: [{ text, blocks }] });
    return { ok: true, channel, ts, message: { type: 'message', text, blocks, ts, bot_id: 'BLATCHKEY' } };
  }

  private update(args: Record<string, unknown>): Record<string, unknown> {
    const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    const blocks = parseBlocks(args.blocks);
    if (blocks === undefined) return { ok: false, error: 'invalid_blocks' };
    message.text = String(args.text ?? message.text);
    message.blocks = blocks;
    message.versions.push({ text: message.text, blocks });
    return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
  }

  private ephemeral(args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    const user = String(args.user ?? '');
    if (!channel || !/^[UW][A-Z0-9]{2,20}$/.test(user)) return { ok: false, error: 'user_not_in_channel' };
    this.ephemerals.push({ channel, user, text: String(args.text ?? ''), at: new Date().toISOString() });
    return { ok: true, message_ts: this.nextTs() };
  }

  private open(args: Record<string, unknown>): Record<string, unknown> {
    const users = String(args.users ?? '');
    if (!/^[UW][A-Z0-9]{2,20}$/.test(users)) return { ok: false, error: users.includes(',') ? 'not_enough_users' : 'user_not_found' };
    let id = this.ims.get(users);
    if (!id) {
      id = `D${users.slice(1)}`;
      this.ims.set(users, id);
    }
    return { ok: true, channel: { id } };
  }

  private nextTs(): string {
    this.counter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`;
  }
}

const ok200 = (body: Record<string, unknown>) => ({ status: 200, body });

/** Form bodies carry blocks as a JSON string (the SDK's default); JSON bodies as an array. */
function parseBlocks(value: unknown): unknown[] | undefined {
  if (value === undefined || value === '') return [];
  if (Array.isArray(value)) return value;
  try {
    const parsed = JSON.parse(String(value)) as unknown;
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
