import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { SlackPost } from '../../dev/notify-standin/slack.ts';

// The notify stand-in's state, as tests read and steer it (dev/notify-standin/server.ts, under /_notify/).

const base = () => inject('notifyUrl');

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${base()}${path}`, init);
  if (!response.ok) throw new Error(`notify stand-in ${path}: ${response.status}`);
  return (await response.json()) as T;
}

export const slackMessages = async (channel?: string) => (await json<{ items: SlackPost[] }>(`/_notify/slack/messages${channel ? `?channel=${channel}` : ''}`)).items;
export const slackEphemerals = async () => (await json<{ items: { channel: string; user: string; text: string }[] }>('/_notify/slack/ephemerals')).items;
export const imOf = async (user: string) => (await json<Record<string, string>>('/_notify/slack/ims'))[user];
export const hookDeliveries = async (name: string) => (await json<{ items: { headers: Record<string, string>; body: string }[] }>(`/_notify/hooks/${name}`)).items;
export const failHook = (name: string, times: number, status = 500) => json(`/_notify/hooks/${name}/fail`, { method: 'POST', body: JSON.stringify({ times, status }) });
export const failSlack = (method: string, times: number, error = 'internal_error') => json('/_notify/slack/fail', { method: 'POST', body: JSON.stringify({ method, times, error }) });
export const mails = async () => (await json<{ items: { file: string; text: string }[] }>('/_notify/mail')).items;
export const hookUrl = (name: string) => `${base()}/hooks/${name}`;

/** Slack ids no other test uses: a workspace serves one tenant, a member one contact. */
export const slackIds = () => {
  const tag = randomBytes(5).toString('hex').toUpperCase();
  return { team: `T${tag}`, user: (who: string) => `U${who.toUpperCase().slice(0, 4)}${tag}`, channel: `C${tag}` };
};

/** Waits until `probe` returns something truthy, or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, ms = 15_000, what = 'the condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
