import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatchkeyApi } from '../../../cli/api.ts';
import { ApiError } from '../../../cli/errors.ts';

// The CLI's POSTs that change a request carry an Idempotency-Key and retry with that same key
// (docs/api.md, "Idempotent retries"); credentials and reads are sent once, without one.

const API = 'http://127.0.0.1:4480';
const request = { requestId: 'req_1', status: 'cancelled' };

describe('idempotent retries in the CLI', () => {
  const sent: Array<{ method: string; path: string; key: string | null; body: string }> = [];
  let answers: Array<() => Response>;
  beforeEach(() => {
    sent.length = 0;
    vi.stubGlobal('fetch', async (input: Request) => {
      sent.push({ method: input.method, path: new URL(input.url).pathname, key: input.headers.get('idempotency-key'), body: await input.text() });
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next();
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const cli = () => new LatchkeyApi({ baseUrl: API, token: async () => 't', retryDelaysMs: [1, 1] });
  const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const unreachable = () => {
    throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
  };

  it('retries an unreachable API, a 503 and a call still in progress with one key and the same body', async () => {
    answers = [unreachable, json(503, { error: 'x', message: 'busy' }), json(200, request)];
    await expect(cli().approve('req_1', { note: 'ok' })).resolves.toEqual(request);
    expect(sent.map((s) => s.path)).toEqual(['/requests/req_1/approve', '/requests/req_1/approve', '/requests/req_1/approve']);
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
    expect(sent[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(sent.map((s) => s.body))).toEqual(new Set(['{"note":"ok"}']));

    answers = [json(409, { error: 'idempotency_in_progress', message: 'running' }), json(201, request)];
    await cli().createRequest({ targetId: 'tgt_1', databaseUser: 'app_ro', durationMinutes: 30 });
    expect(sent[3]!.key).toBe(sent[4]!.key);
    expect(sent[3]!.key).not.toBe(sent[0]!.key);
  });

  it('gives up after its retries with the last answer, and never retries a refusal', async () => {
    answers = [json(503, { error: 'x', message: 'a' }), json(503, { error: 'x', message: 'b' }), json(503, { error: 'x', message: 'c' })];
    await expect(cli().cancel('req_1')).rejects.toMatchObject({ status: 503, message: 'c' });
    answers = [json(409, { error: 'invalid_transition', message: 'already cancelled' })];
    await expect(cli().cancel('req_1')).rejects.toBeInstanceOf(ApiError);
    expect(sent).toHaveLength(4);
  });

  it('sends credentials and reads once, without a key', async () => {
    answers = [json(503, { error: 'issuance_not_recorded', message: 'not logged' }), json(200, request)];
    await expect(cli().credentials('req_1', {})).rejects.toMatchObject({ status: 503 });
    await cli().request('req_1');
    expect(sent.map((s) => [s.method, s.key])).toEqual([['POST', null], ['GET', null]]);
  });
});
