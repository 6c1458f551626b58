import { createLatchkeyClient, errorCodeOf, type LatchkeyClient, type Schemas } from '../../client/index.ts';

// The console talks to the API only through the client generated from docs/openapi.json
// (client/), so a route or body that drifts from the API fails `tsc`, not a user.

export type { LatchkeyClient, Schemas };
export type AccessRequest = Schemas['AccessRequest'];
export type Target = Schemas['Target'];
export type Principal = Schemas['Principal'];
export type LogEvent = Schemas['LogEvent'];
export type Integration = Schemas['Integration'];

export function consoleClient(apiBase: string, token: () => string, onUnauthorized: () => void): LatchkeyClient {
  const client = createLatchkeyClient({ baseUrl: new URL(apiBase, location.origin).toString().replace(/\/$/, ''), getToken: token });
  client.use({
    async onResponse({ response }) {
      // A step-up (401 step_up_required) keeps the session: the page asks for a stronger sign-in and retries.
      if (response.status === 401 && !(await isStepUp(response))) onUnauthorized();
      return response;
    },
  });
  return client;
}

async function isStepUp(response: Response): Promise<boolean> {
  const body = (await response.clone().json().catch(() => undefined)) as { error?: unknown } | undefined;
  return body?.error === 'step_up_required';
}

/** What a refusal says, for a person: the API's message, and what the fields were that failed. */
export function describeError(error: unknown, response?: Response): string {
  const body = error as { message?: string; details?: unknown } | undefined;
  const message = body?.message ?? (response ? `The API answered ${response.status}.` : 'The API could not be reached.');
  const details = body?.details;
  if (Array.isArray(details) && details.length > 0) {
    const fields = details.map((d) => (typeof d === 'object' && d !== null && 'path' in d && 'message' in d ? `${String((d as { path: unknown }).path)}: ${String((d as { message: unknown }).message)}` : JSON.stringify(d)));
    return `${message} (${fields.join('; ')})`;
  }
  return message;
}

export { errorCodeOf };
