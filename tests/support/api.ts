import { inject } from 'vitest';
import { createLatchkeyClient, createLatchkeyServiceClient, type AwsCredentials, type LatchkeyClient } from '#client/index';
import { expectDocumented } from './openapi-check.ts';

// Clients for the local API, as a user's script would call it. Every answer either
// gets is checked against docs/openapi.json (route, status, content type, body schema)
// and fails the test when it differs: the e2e suite is the document's proof.
//
// `api()` is the raw one: a Bearer token, JSON in, JSON out, any path (for the tests of
// bad input). `body` is `any` on purpose: tests assert on its shape with expect(), and a
// cast at every use would say nothing more. `client()` is the generated, typed client
// (client/index.ts) that the CLI uses; prefer it where the call is a well-formed one.

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export interface ApiClient {
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  put(path: string, body?: unknown): Promise<ApiResponse>;
  delete(path: string): Promise<ApiResponse>;
}

async function parse(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON: keep the text
  }
}

/** A fetch that checks every answer against the document before handing it on. */
export const documentedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  const url = new URL(request.url);
  expectDocumented({ method: request.method, path: url.pathname, status: response.status, contentType: response.headers.get('content-type'), body: await parse(response.clone()) });
  return response;
};

/** `body` given as a string is sent as-is (for malformed-JSON tests); anything else as JSON. */
export function api(token?: string, baseUrl: string = inject('apiUrl')): ApiClient {
  const call = async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await documentedFetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: await parse(response), headers: response.headers };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
  };
}

/** The generated client as a person, answers checked against the document. */
export function client(token: string, baseUrl: string = inject('apiUrl')): LatchkeyClient {
  return createLatchkeyClient({ baseUrl, token, fetch: documentedFetch });
}

/** The generated client as a service (SigV4 as its IAM role's session), answers checked against the document. */
export function serviceClient(credentials: AwsCredentials, baseUrl: string = inject('apiUrl')): LatchkeyClient {
  return createLatchkeyServiceClient({ baseUrl, region: inject('region'), credentials, fetch: documentedFetch });
}
