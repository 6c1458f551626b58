import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatchkeyApi } from '../../../cli/api.ts';
import { ApiError, ExitCode } from '../../../cli/errors.ts';
import { stepUpParameters } from '../../../cli/login.ts';

// The CLI's answer to 401 step_up_required (docs/policy-rules.md): sign in again with what the
// API asked for, then send the same call once more — once, never in a loop.

const stepUpBody = {
  error: 'step_up_required',
  message: 'sign in again',
  details: { action: 'approve', missing: ['recent_sign_in', 'mfa'], maxAgeMinutes: 5, mfa: true, authorize: { prompt: 'login', max_age: 0, acr_values: 'mfa' } },
};
const approved = { requestId: 'req_1', status: 'approved' };

describe('step-up in the CLI', () => {
  let server: Server;
  let baseUrl: string;
  let tokensSeen: string[];
  /** The API: refuses every call carrying a token not in `fresh`. */
  let fresh: Set<string>;
  beforeEach(async () => {
    tokensSeen = [];
    fresh = new Set();
    server = createServer((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      tokensSeen.push(token);
      const [status, body] = fresh.has(token) ? [200, approved] : [401, stepUpBody];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs in again with the parameters the API named, then retries the call with the new token', async () => {
    let token = 'old';
    const asked: unknown[] = [];
    const api = new LatchkeyApi({
      baseUrl,
      token: async () => token,
      stepUp: async (details) => {
        asked.push(details);
        token = 'new';
        fresh.add('new');
      },
    });

    await expect(api.approve('req_1', {})).resolves.toMatchObject({ status: 'approved' });
    expect(tokensSeen).toEqual(['old', 'new']);
    expect(stepUpParameters(asked[0])).toEqual({ prompt: 'login', max_age: '0', acr_values: 'mfa' });
  });

  it('retries once only: a sign-in that still does not satisfy the policy ends in the 401', async () => {
    let logins = 0;
    const api = new LatchkeyApi({ baseUrl, token: async () => 'old', stepUp: async () => void logins++ });

    const error = await api.approve('req_1', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'step_up_required', exitCode: ExitCode.notSignedIn, hint: expect.stringMatching(/sign in again/) });
    expect(logins).toBe(1);
    expect(tokensSeen).toEqual(['old', 'old']);
  });

  it('without a step-up hook (a LATCHKEY_TOKEN), answers the 401 as it is', async () => {
    const api = new LatchkeyApi({ baseUrl, token: async () => 'script-token' });

    await expect(api.approve('req_1', {})).rejects.toMatchObject({ code: 'step_up_required' });
    expect(tokensSeen).toEqual(['script-token']);
  });

  it('asks at least prompt=login, and ignores anything but the three OIDC parameters', () => {
    expect(stepUpParameters(undefined)).toEqual({ prompt: 'login' });
    expect(stepUpParameters({ authorize: { max_age: 0, redirect_uri: 'http://evil', acr_values: { no: 1 } } })).toEqual({ prompt: 'login', max_age: '0' });
  });
});
