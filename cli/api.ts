import { createLatchkeyClient, type LatchkeyClient, type Schemas, type paths } from '../client/index.ts';
import { ApiError, CliError, ExitCode } from './errors.ts';

// Every call the CLI makes to the Latchkey API goes through this file, over the
// generated client (client/: openapi-fetch typed by docs/openapi.json), so a
// route, body or query that drifts from the API fails `tsc`. Failures become
// ApiError with the API's own `{ error, message, details }`; an unreachable API
// is exit 9. The types below are the document's, with one convenience: a
// request's status union flattened, so views can read any status's fields.

type AllKeys<T> = T extends unknown ? keyof T : never;
/** Every member's fields, optional: a view reads `windowEnd` of any request and gets undefined where there is none. */
type Flatten<T> = { [K in AllKeys<T>]?: T extends unknown ? (K extends keyof T ? T[K] : never) : never };

export type AccessRequest = Schemas['AccessRequest'] & Flatten<Schemas['AccessRequest']>;
export type RequestStatus = AccessRequest['status'];
export type Target = Schemas['Target'];
export type Me = Schemas['Principal'];
export type Credentials = Schemas['IssuedCredentials'];
export type TunnelInfo = NonNullable<Credentials['ssm']>;
export type LogEvent = Schemas['LogEvent'];
export type VerifyReport = Schemas['VerifyReport'];
export type AccessSummary = Schemas['AccessSummary'];

export interface Page<T> {
  items: T[];
  nextCursor?: string | undefined;
}

type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
export type TargetsQuery = QueryOf<'/targets'>;
export type RequestsQuery = QueryOf<'/requests'>;
export type EventsQuery = QueryOf<'/audit/events'>;
export type ExportQuery = QueryOf<'/audit/events/export'>;
export type VerifyQuery = QueryOf<'/audit/verify'>;
export type SummaryQuery = QueryOf<'/audit/access-summary'>;
/** Paging, as every list route takes it. */
export type PageQuery = { limit?: number; cursor?: string };

export interface ApiOptions {
  baseUrl: string;
  /** The bearer token for each call (refreshed by the caller when it can). */
  token: () => Promise<string>;
  /** One line per call (method, path, status, time) — never a header or a body. */
  log?: (line: string) => void;
  /**
   * Called on a 401 `step_up_required` with its details (docs/policy-rules.md): signs the
   * person in again as they say; the call is then sent once more. Absent: the 401 is the answer.
   */
  stepUp?: (details: unknown) => Promise<void>;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

const path = (requestId: string) => ({ params: { path: { requestId } } });

export class LatchkeyApi {
  private readonly client: LatchkeyClient;

  constructor(private readonly options: ApiOptions) {
    this.client = createLatchkeyClient({ baseUrl: options.baseUrl.replace(/\/+$/, ''), getToken: options.token, fetch: this.fetch });
  }

  me = () => this.data(() => this.client.GET('/me'));
  targets = (query: TargetsQuery = {}) => this.data(() => this.client.GET('/targets', { params: { query } }));
  target = (targetId: string) => this.data(() => this.client.GET('/targets/{targetId}', { params: { path: { targetId } } }));
  requests = (query: RequestsQuery) => this.data(() => this.client.GET('/requests', { params: { query } })) as Promise<Page<AccessRequest>>;
  request = (requestId: string) => this.data(() => this.client.GET('/requests/{requestId}', path(requestId))) as Promise<AccessRequest>;
  createRequest = (body: { targetId: string; databaseUser: string; durationMinutes: number; reason?: string; breakGlass?: boolean }) =>
    this.data(() => this.client.POST('/requests', { body })) as Promise<AccessRequest>;
  approve = (requestId: string, body: { note?: string }) => this.data(() => this.client.POST('/requests/{requestId}/approve', { ...path(requestId), body })) as Promise<AccessRequest>;
  deny = (requestId: string, body: { note?: string }) => this.data(() => this.client.POST('/requests/{requestId}/deny', { ...path(requestId), body })) as Promise<AccessRequest>;
  review = (requestId: string, body: { outcome: 'acknowledged' | 'escalated'; note: string }) =>
    this.data(() => this.client.POST('/requests/{requestId}/review', { ...path(requestId), body })) as Promise<AccessRequest>;
  cancel = (requestId: string) => this.data(() => this.client.POST('/requests/{requestId}/cancel', path(requestId))) as Promise<AccessRequest>;
  revoke = (requestId: string, body: { note?: string }) => this.data(() => this.client.POST('/requests/{requestId}/revoke', { ...path(requestId), body })) as Promise<AccessRequest>;
  extend = (requestId: string, body: { minutes: number; reason?: string }) =>
    this.data(() => this.client.POST('/requests/{requestId}/extend', { ...path(requestId), body })) as Promise<AccessRequest>;
  credentials = (requestId: string, body: { ssm?: { localPortNumber?: number } }) => this.data(() => this.client.POST('/requests/{requestId}/credentials', { ...path(requestId), body }));
  events = (query: EventsQuery) => this.data(() => this.client.GET('/audit/events', { params: { query } }));
  verify = (query: VerifyQuery) => this.data(() => this.client.GET('/audit/verify', { params: { query } }));
  summary = (query: SummaryQuery) => this.data(() => this.client.GET('/audit/access-summary', { params: { query } }));

  /** One page of the export: the lines as text, and the cursor of the next page. */
  async exportPage(query: ExportQuery): Promise<{ text: string; nextCursor?: string }> {
    const result = await this.call(() => this.client.GET('/audit/events/export', { params: { query }, parseAs: 'text' }));
    const nextCursor = result.response.headers.get('x-next-cursor') ?? undefined;
    return { text: String(result.data ?? ''), ...(nextCursor ? { nextCursor } : {}) };
  }

  private async data<T>(send: () => Promise<Result<T>>): Promise<T> {
    return (await this.call(send)).data as T;
  }

  /** One call; a step-up refusal signs in again (options.stepUp) and sends it once more, never twice. */
  private async call<T>(send: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await this.once(send);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'step_up_required' || !this.options.stepUp) throw error;
      await this.options.stepUp(error.details);
      return this.once(send);
    }
  }

  private async once<T>(send: () => Promise<Result<T>>): Promise<Result<T>> {
    let result: Result<T>;
    try {
      result = await send();
    } catch (error) {
      if (error instanceof CliError) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the Latchkey API at ${this.options.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message})`, ExitCode.unavailable);
    }
    if (!result.response.ok) throw apiError(result.response, result.error);
    return result;
  }

  /** The client's fetch: the same call, plus the one log line (method, path, status, time). */
  private readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const started = Date.now();
    const response = await globalThis.fetch(request);
    this.options.log?.(`${request.method} ${new URL(request.url).pathname} → ${response.status} (${Date.now() - started} ms)`);
    return response;
  };
}

function apiError(response: Response, body: unknown): ApiError {
  const parsed = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown; details?: unknown };
  const code = typeof parsed.error === 'string' ? parsed.error : defaultCode(response.status);
  const message = typeof parsed.message === 'string' ? parsed.message : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, code, message, parsed.details);
}

const defaultCode = (status: number) => (status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : `http_${status}`);
