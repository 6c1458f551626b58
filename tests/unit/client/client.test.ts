import { describe, expect, it } from 'vitest';
import { createLatchkeyClient, createLatchkeyServiceClient, errorCodeOf } from '#client/index';
import { authorizeIam } from '#dev/local-api/sigv4-authorizer';

// The generated client's two ways in, on a fetch that only records what would go out.

function recorder(answer: { status: number; body: unknown } = { status: 200, body: { id: 'alice', kind: 'user', tenantId: 'acme', roles: [], groups: [] } }) {
  const sent: Request[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

describe('createLatchkeyClient (people)', () => {
  it('sends the bearer token on every call, fetching a fresh one per call with getToken', async () => {
    const fixed = recorder();
    await createLatchkeyClient({ baseUrl: 'https://api.example.test', token: 'tok-1', fetch: fixed.fetch }).GET('/me');
    expect(fixed.sent[0]!.headers.get('authorization')).toBe('Bearer tok-1');
    expect(fixed.sent[0]!.url).toBe('https://api.example.test/me');

    let n = 0;
    const fresh = recorder();
    const lk = createLatchkeyClient({ baseUrl: 'https://api.example.test', getToken: async () => `tok-${++n}`, fetch: fresh.fetch });
    await lk.GET('/me');
    await lk.GET('/requests', { params: { query: { view: 'approvable', limit: 5 } } });
    expect(fresh.sent.map((r) => r.headers.get('authorization'))).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(fresh.sent[1]!.url).toBe('https://api.example.test/requests?view=approvable&limit=5');
  });

  it('hands a refusal back as `error`, with its code readable whatever its shape', async () => {
    const refused = recorder({ status: 403, body: { error: 'forbidden', message: 'no' } });
    const answer = await createLatchkeyClient({ baseUrl: 'https://api.example.test', token: 't', fetch: refused.fetch }).GET('/me');
    expect(answer.data).toBeUndefined();
    expect(errorCodeOf(answer.error)).toBe('forbidden');
    expect(errorCodeOf({ message: 'Unauthorized' })).toBeUndefined();
  });
});

describe('createLatchkeyServiceClient (SigV4)', () => {
  const credential = { accessKeyId: 'ASIAEXAMPLESERVICE01', secretAccessKey: 'service-secret', sessionToken: 'session-token-1', arn: 'arn:aws:sts::444455556666:assumed-role/etl/worker' };

  it("signs method, path, stage prefix, query and body so the REST API's verifier accepts it, and a changed body not", async () => {
    const { sent, fetch } = recorder();
    const lk = createLatchkeyServiceClient({ baseUrl: 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod', region: 'eu-central-1', credentials: credential, fetch });
    await lk.POST('/requests/{requestId}/credentials', { params: { path: { requestId: 'req_01HZZZZZZZZZZZZZZZZZZZZZZZ' } }, body: { ssm: { localPortNumber: 15432 } } });
    await lk.GET('/requests', { params: { query: { view: 'mine', limit: 10 } } });

    const verify = async (request: Request, body?: string) => {
      const url = new URL(request.url);
      // fetch sends Host from the URL; the client leaves it to fetch.
      const rawHeaders: [string, string][] = [['host', url.host], ...[...request.headers.entries()]];
      const local = { method: request.method, rawPath: url.pathname, rawQueryString: url.search.slice(1), rawHeaders, body: Buffer.from(body ?? (await request.clone().text())), sourceIp: '127.0.0.1', requestId: 'r', receivedAt: new Date() };
      return authorizeIam(local, (id) => (id === credential.accessKeyId ? credential : undefined), 'eu-central-1', new Date());
    };
    expect(sent[0]!.url).toBe('https://abc123.execute-api.eu-central-1.amazonaws.com/prod/requests/req_01HZZZZZZZZZZZZZZZZZZZZZZZ/credentials');
    expect(sent[0]!.headers.get('x-amz-security-token')).toBe('session-token-1');
    expect(await verify(sent[0]!)).toMatchObject({ ok: true, identity: { userArn: credential.arn } });
    expect(await verify(sent[1]!)).toMatchObject({ ok: true });
    expect(await verify(sent[0]!, '{"ssm":{"localPortNumber":22}}')).toMatchObject({ ok: false });
  });
});
