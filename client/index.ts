import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

// The typed Latchkey client: openapi-fetch over the types openapi-typescript generated
// from docs/openapi.json (`npm run openapi`). Every call is typed by path and method:
//   const lk = createLatchkeyClient({ baseUrl, token });
//   const { data, error, response } = await lk.POST('/requests', { body: { targetId, databaseUser, durationMinutes: 30 } });
// `data` is the success body, `error` the `{ error, message, details? }` body of a refusal.
// This folder imports nothing of the server (.dependency-cruiser.cjs): the CLI ships it alone.

export type { components, operations, paths } from './schema.d.ts';
export type LatchkeyClient = Client<paths>;
export type Schemas = components['schemas'];

type Common = {
  /** The API's base URL: the HTTP API for people; for services the REST API with its stage path (`https://…/prod`). */
  baseUrl: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch;
};

export type PersonClientOptions = Common & ({ token: string } | { getToken: () => string | Promise<string> });

/** People: every call carries `Authorization: Bearer <token>` (a fixed token, or one fetched per call, e.g. refreshed). */
export function createLatchkeyClient(options: PersonClientOptions): LatchkeyClient {
  const token = 'token' in options ? () => options.token : options.getToken;
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use({
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await token()}`);
      return request;
    },
  });
  return client;
}

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type ServiceClientOptions = Common & {
  /** The region of the REST API (its SigV4 scope; service `execute-api`). */
  region: string;
  /** The registered IAM role's session credentials, or a provider (e.g. from @aws-sdk/credential-providers). */
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
};

/** Services: every call is signed with SigV4 as a session of the IAM role an admin registered (POST /services). */
export function createLatchkeyServiceClient(options: ServiceClientOptions): LatchkeyClient {
  const signer = new SignatureV4({ service: 'execute-api', region: options.region, credentials: options.credentials, sha256: Sha256 });
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(sigV4(signer));
  return client;
}

function sigV4(signer: SignatureV4): Middleware {
  return {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const body = request.body === null ? undefined : await request.clone().text();
      const headers: Record<string, string> = { host: url.host };
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const signed = await signer.sign(
        new HttpRequest({
          method: request.method,
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port ? { port: Number(url.port) } : {}),
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers,
          ...(body === undefined ? {} : { body }),
        }),
      );
      const out = new Headers();
      for (const [name, value] of Object.entries(signed.headers)) if (name !== 'host') out.set(name, value);
      return new Request(request, { headers: out });
    },
  };
}

/** A refusal's `error` code; undefined for API Gateway's own refusals, which carry only `{ message }`. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { error?: unknown } | null | undefined)?.error;
  return typeof code === 'string' ? code : undefined;
}
