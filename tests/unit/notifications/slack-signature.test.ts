import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '#shared/notifications/slack-signature';

// Slack's own worked example ("Verifying requests from Slack", api.slack.com/authentication/verifying-requests-from-slack).
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const timestamp = '1531420618';
const body =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const at = (seconds: number) => new Date(seconds * 1000);

describe('Slack request signatures (v0)', () => {
  it("computes Slack's published example", () => {
    expect(slackSignature(secret, timestamp, body)).toBe(expected);
  });

  it.each([
    ['the exact request, at its time', { rawBody: body, timestamp, signature: expected }, at(1531420618), 'ok'],
    ['the exact request, 299 s later', { rawBody: body, timestamp, signature: expected }, at(1531420618 + 299), 'ok'],
    ['301 s later: stale', { rawBody: body, timestamp, signature: expected }, at(1531420618 + 301), 'stale_timestamp'],
    ['301 s early: stale too', { rawBody: body, timestamp, signature: expected }, at(1531420618 - 301), 'stale_timestamp'],
    ['a body changed by one character', { rawBody: body.replace('roadrunner', 'roadrunnes'), timestamp, signature: expected }, at(1531420618), 'bad_signature'],
    ['the timestamp moved (re-dated replay)', { rawBody: body, timestamp: '1531420619', signature: expected }, at(1531420618), 'bad_signature'],
    ['another secret', { rawBody: body, timestamp, signature: slackSignature('another', timestamp, body) }, at(1531420618), 'bad_signature'],
    ['no signature', { rawBody: body, timestamp, signature: undefined }, at(1531420618), 'bad_signature'],
    ['no timestamp', { rawBody: body, timestamp: undefined, signature: expected }, at(1531420618), 'bad_signature'],
    ['a timestamp that is not a number', { rawBody: body, timestamp: '1531420618.5', signature: expected }, at(1531420618), 'bad_signature'],
    ['a truncated signature', { rawBody: body, timestamp, signature: expected.slice(0, -1) }, at(1531420618), 'bad_signature'],
    ['v1 instead of v0', { rawBody: body, timestamp, signature: expected.replace('v0=', 'v1=') }, at(1531420618), 'bad_signature'],
  ] as const)('%s: %s', (_name, request, now, verdict) => {
    expect(verifySlackSignature(secret, request, now)).toBe(verdict);
  });
});
