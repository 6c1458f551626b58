import { ApiError, CliError, ExitCode } from './errors.ts';

// Every call the CLI makes to the Latchkey API goes through this file, so the
// generated client (openapi-fetch over docs/openapi.json) replaces it here
// alone. Bodies and routes: docs/api.md. Failures become ApiError with the
// API's own `{ error, message, details }`; an unreachable API is exit 9.

export type RequestStatus = 'pending' | 'approved' | 'denied' | 'cancelled' | 'expired' | 'revoked' | 'ended';

export interface Decision {
  approverId: string;
  at: string;
  note?: string;
}

export interface AccessRequest {
  requestId: string;
  targetId: string;
  databaseUser: string;
  requesterId: string;
  requesterKind: 'user' | 'service';
  status: RequestStatus;
  reason?: string;
  durationMinutes: number;
  createdAt: string;
  approvals?: Decision[];
  decideBy?: string;
  approvedAt?: string;
  windowStart?: string;
  windowEnd?: string;
  deniedBy?: string;
  revokedBy?: string;
  note?: string;
  pendingExtension?: { minutes: number; reason?: string; requestedAt: string; approvals: Decision[] };
  extensions?: Array<{ minutes: number; reason?: string }>;
}

export interface Target {
  targetId: string;
  name: string;
  engine: 'postgres' | 'mysql' | 'mariadb';
  endpoint: string;
  port: number;
  region: string;
  accountId: string;
  databaseUsers: string[];
  bastionInstanceId?: string;
  policy?: { approvalsRequired?: number; maxDurationMinutes?: number; reasonRequired?: boolean; pendingTimeoutMinutes?: number; [key: string]: unknown };
}

export interface Me {
  id: string;
  kind: 'user' | 'service';
  tenantId: string;
  roles: string[];
  groups: string[];
}

export interface DatabaseConnection {
  engine: Target['engine'];
  host: string;
  port: number;
  user: string;
  token: string;
  expiresAt: string;
  sslmode: 'verify-full';
  caBundleUrl: string;
  command: string;
}

export interface TunnelInfo {
  sessionId: string;
  streamUrl: string;
  tokenValue: string;
  localPortNumber: number;
  pluginCommand: string;
  command: string;
}

export interface Credentials {
  requestId: string;
  issuedAt: string;
  windowEnd: string;
  database: DatabaseConnection;
  ssm?: TunnelInfo;
}

export interface LogEvent {
  at: string;
  action: string;
  actorId: string;
  actorKind: string;
  outcome: 'success' | 'failure';
  requestId?: string;
  targetId?: string;
  databaseUser?: string;
  requesterId?: string;
  seq: number;
  hash: string;
  details?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  chains: number;
  checked: number;
  complete: boolean;
  next?: { chain: number; seq: number };
  checkpoint?: { at: string };
  brokenLink?: { chain: number; seq: number; kind?: string; [key: string]: unknown };
}

export interface AccessSummary {
  at: string;
  activeGrants: Array<{ requestId: string; requesterId: string; targetId: string; databaseUser: string; windowStart: string; windowEnd: string }>;
  range: { from: string; to: string };
  history: Array<{ targetId: string; databaseUser: string; requesters: Array<{ requesterId: string; grants: number; issuances: number; lastAt: string }> }>;
  truncated: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Paging, as every list route takes it. */
export type PageQuery = { limit?: number; cursor?: string };
export type TargetsQuery = PageQuery;
export type RequestsQuery = PageQuery & { view?: 'mine' | 'approvable' | 'tenant'; status?: RequestStatus };
export type EventsQuery = PageQuery & {
  requester?: string;
  target?: string;
  databaseUser?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  order?: 'newest' | 'oldest';
};
export type ExportQuery = EventsQuery & { format?: 'csv' | 'ndjson' };
export type VerifyQuery = { fromChain?: number; fromSeq?: number; limit?: number };
export type SummaryQuery = { from?: string; to?: string; target?: string };
type Query = Record<string, string | number | undefined>;

export interface ApiOptions {
  baseUrl: string;
  /** The bearer token for each call (refreshed by the caller when it can). */
  token: () => Promise<string>;
  /** One line per call (method, path, status, time) — never a header or a body. */
  log?: (line: string) => void;
}

export class LatchkeyApi {
  constructor(private readonly options: ApiOptions) {}

  me = () => this.call<Me>('GET', '/me');
  targets = (query: TargetsQuery = {}) => this.call<Page<Target>>('GET', '/targets', { query });
  target = (targetId: string) => this.call<Target>('GET', `/targets/${encodeURIComponent(targetId)}`);
  requests = (query: RequestsQuery) => this.call<Page<AccessRequest>>('GET', '/requests', { query });
  request = (requestId: string) => this.call<AccessRequest>('GET', `/requests/${encodeURIComponent(requestId)}`);
  createRequest = (body: { targetId: string; databaseUser: string; durationMinutes: number; reason?: string }) =>
    this.call<AccessRequest>('POST', '/requests', { body });
  approve = (requestId: string, body: { note?: string }) => this.action('approve', requestId, body);
  deny = (requestId: string, body: { note?: string }) => this.action('deny', requestId, body);
  cancel = (requestId: string) => this.action('cancel', requestId, {});
  revoke = (requestId: string, body: { note?: string }) => this.action('revoke', requestId, body);
  extend = (requestId: string, body: { minutes: number; reason?: string }) => this.action('extend', requestId, body);
  credentials = (requestId: string, body: { ssm?: { localPortNumber?: number } }) =>
    this.call<Credentials>('POST', `/requests/${encodeURIComponent(requestId)}/credentials`, { body });
  events = (query: EventsQuery) => this.call<Page<LogEvent>>('GET', '/audit/events', { query });
  timeline = (requestId: string) => this.call<Page<LogEvent>>('GET', `/audit/requests/${encodeURIComponent(requestId)}/events`);
  verify = (query: VerifyQuery) => this.call<VerifyReport>('GET', '/audit/verify', { query });
  summary = (query: SummaryQuery) => this.call<AccessSummary>('GET', '/audit/access-summary', { query });

  /** One page of the export: the lines as text, and the cursor of the next page. */
  async exportPage(query: ExportQuery): Promise<{ text: string; nextCursor?: string }> {
    const response = await this.send('GET', '/audit/events/export', { query });
    const text = await response.text();
    const nextCursor = response.headers.get('x-next-cursor') ?? undefined;
    return { text, ...(nextCursor ? { nextCursor } : {}) };
  }

  private action(name: string, requestId: string, body: unknown) {
    return this.call<AccessRequest>('POST', `/requests/${encodeURIComponent(requestId)}/${name}`, { body });
  }

  private async call<T>(method: string, path: string, options: { query?: object; body?: unknown } = {}): Promise<T> {
    const response = await this.send(method, path, options);
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, options: { query?: object; body?: unknown }): Promise<Response> {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries((options.query ?? {}) as Query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${await this.options.token()}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the Latchkey API at ${this.options.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message})`, ExitCode.unavailable);
    }
    this.options.log?.(`${method} ${url.pathname} → ${response.status} (${Date.now() - started} ms)`);
    if (!response.ok) throw await apiError(response);
    return response;
  }
}

async function apiError(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: { error?: unknown; message?: unknown; details?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status says it
  }
  const code = typeof body.error === 'string' ? body.error : defaultCode(response.status);
  const message = typeof body.message === 'string' ? body.message : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, code, message, body.details);
}

const defaultCode = (status: number) => (status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : `http_${status}`);
