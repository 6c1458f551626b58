import { readLocalNotifySecrets } from '../../dev/notify-standin-hook.ts';
import { slackSignature } from '../../shared/notifications/slack-signature.ts';

// What Slack sends when someone clicks a button in a Latchkey message: a `block_actions` payload, form-encoded,
// signed v0 with the app's signing secret (the local stack's is in <home>/notify/secrets.json). The signature is
// made by our own signer's recipe, which tests/unit/notifications checks against Slack's published example.

export type Click = { teamId?: string; userId: string; actionId: string; value: string; channel?: string };

export function clickBody(click: Click): string {
  const payload = {
    type: 'block_actions',
    team: { id: click.teamId ?? 'T0LOCAL001', domain: 'local' },
    user: { id: click.userId, username: click.userId.toLowerCase(), team_id: click.teamId ?? 'T0LOCAL001' },
    api_app_id: 'A0LATCHKEY',
    token: 'deprecated-verification-token',
    trigger_id: '1.2.3',
    channel: { id: click.channel ?? 'C0APPROVE1', name: 'approvals' },
    container: { type: 'message', channel_id: click.channel ?? 'C0APPROVE1', message_ts: '1.000001' },
    actions: [{ type: 'button', action_id: click.actionId, block_id: 'latchkey.decision', value: click.value, action_ts: '1.000002' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type SignedPost = { body: string; headers: Record<string, string> };

/** A request as Slack sends it: signed now (or at `at`), with `secret` (default: the stack's). */
export function signedClick(home: string, click: Click, options: { at?: Date; secret?: string } = {}): SignedPost {
  const body = clickBody(click);
  const timestamp = String(Math.floor((options.at ?? new Date()).getTime() / 1000));
  const secret = options.secret ?? readLocalNotifySecrets(home).slackSigningSecret;
  return {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(secret, timestamp, body) },
  };
}

/** POSTs to the stack's interactivity URL; the answer is checked against docs/openapi.json (documentedFetch). */
export async function postClick(apiUrl: string, post: SignedPost, send: typeof fetch = fetch): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await send(`${apiUrl}/slack/interactions`, { method: 'POST', headers: post.headers, body: post.body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
