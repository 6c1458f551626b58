import type { AccessRequest, ApprovedRequest } from '#shared/requests/access-request';
import type { LogEntry } from '#shared/grant-log/events';
import type { Principal } from '#shared/kernel/principal';
import { policySchema, targetInputSchema, type Target, type TargetInput } from '#shared/targets/target';
import * as transitions from '#shared/requests/transitions';
import { ConcurrentModificationError } from '#shared/kernel/errors';
import { AwsCallError } from '#shared/minting/errors';
import type { Clock, Page } from '#shared/kernel/ports';
import type { RequestStore } from '#shared/requests/ports';
import type { TargetStore } from '#shared/targets/ports';
import type {
  AssumedRole, AssumeRoleInput, AwsCredentials, DbTokenRequest, DbTokenSigner, Integration, IntegrationStore, IssuanceStore,
  PortForwarding, RoleAssumer, SessionRecord, SessionStarter, SsmSession,
} from '#shared/minting/ports';
import type { MintingDeps } from '#shared/minting/deps';
import { permissionResources, resourceList } from '#shared/iam/permission-policy';

// In-memory ports for the minting use cases. The issuance store keeps the
// promise of the DynamoDB one: the issued event and the session records are
// written only if the request is still approved at the version read, all or
// nothing. Secrets the fakes hand out are recognisable so tests can look for them.

export const T0 = '2030-01-15T09:00:00.000Z';
export const TENANT = 'acme';
export const TARGET_ID = 'tgt_0000000901';
export const INTEGRATION_ID = 'int_0000000777';
export const ACCOUNT = '111122223333';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/LatchkeyAccess`;
export const EXTERNAL_ID = 'lk-ext-SECRET-7f3a9c1e5b2d4f6a8c0e';
export const SECRET_KEY = 'SECRET-ACCESS-KEY-wJalrXUtnFEMI/K7MDENG';
export const SESSION_TOKEN = 'SESSION-TOKEN-IQoJb3JpZ2luX2VjEJr//////////';
export const DB_TOKEN = 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com:5432/?Action=connect&DBUser=app_ro&X-Amz-Signature=DBTOKENSECRET';
export const TOKEN_VALUE = 'TOKEN-VALUE-SECRET-AAEAAbc+/=';
export const secrets = [EXTERNAL_ID, SECRET_KEY, SESSION_TOKEN, DB_TOKEN, 'DBTOKENSECRET', TOKEN_VALUE];

export const minutes = (n: number) => n * 60_000;
export const at = (offsetMinutes: number) => new Date(Date.parse(T0) + minutes(offsetMinutes));

export class FakeClock implements Clock {
  constructor(private current = Date.parse(T0)) {}
  now = () => new Date(this.current);
  set = (to: Date) => void (this.current = to.getTime());
}

const unused = () => Promise.reject(new Error('not used by minting'));

export class FakeRequests implements RequestStore {
  readonly items = new Map<string, AccessRequest>();
  put(request: AccessRequest): void {
    this.items.set(`${request.tenantId}/${request.requestId}`, structuredClone(request));
  }
  async get(tenantId: string, requestId: string) {
    const r = this.items.get(`${tenantId}/${requestId}`);
    return r && structuredClone(r);
  }
  create = unused;
  save = unused;
  listByRequester = unused as () => Promise<Page<AccessRequest>>;
  listByStatus = unused as () => Promise<Page<AccessRequest>>;
  async *listDue() {}
}

export class FakeTargets implements TargetStore {
  readonly items = new Map<string, Target>();
  put(target: Target): void {
    this.items.set(`${target.tenantId}/${target.targetId}`, structuredClone(target));
  }
  async get(tenantId: string, targetId: string) {
    const t = this.items.get(`${tenantId}/${targetId}`);
    return t && structuredClone(t);
  }
  list = unused as () => Promise<Page<Target>>;
  create = unused;
  save = unused;
}

export class FakeIntegrations implements IntegrationStore {
  readonly items = new Map<string, Integration>();
  put(integration: Integration): void {
    this.items.set(`${integration.tenantId}/${integration.integrationId}`, { ...integration });
  }
  async get(tenantId: string, integrationId: string) {
    const i = this.items.get(`${tenantId}/${integrationId}`);
    return i && { ...i };
  }
}

let keyCounter = 0;
export class FakeRoleAssumer implements RoleAssumer {
  readonly calls: AssumeRoleInput[] = [];
  failWith?: string;
  packedPolicySize = 42;
  async assume(input: AssumeRoleInput): Promise<AssumedRole> {
    this.calls.push(structuredClone(input));
    if (this.failWith) throw new AwsCallError('sts', 'AssumeRole', this.failWith, 'req-sts-1');
    keyCounter++;
    return {
      credentials: { accessKeyId: `ASIAFAKE${String(keyCounter).padStart(12, '0')}`, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN, expiration: new Date(Date.now() + 3600_000) },
      assumedRoleId: `AROAFAKEROLEID0000001:${input.sessionName}`,
      assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/LatchkeyAccess/${input.sessionName}`,
      packedPolicySize: this.packedPolicySize,
    };
  }
}

export class FakeTokenSigner implements DbTokenSigner {
  readonly calls: DbTokenRequest[] = [];
  async sign(request: DbTokenRequest): Promise<string> {
    this.calls.push(request);
    return DB_TOKEN;
  }
}

export class FakeSessionStarter implements SessionStarter {
  readonly started: (PortForwarding & { sessionId: string; credentials: AwsCredentials })[] = [];
  readonly terminated: string[] = [];
  failStartWith?: string;
  failTerminateWith?: string;
  private counter = 0;
  async start(credentials: AwsCredentials, forwarding: PortForwarding): Promise<SsmSession> {
    if (this.failStartWith) throw new AwsCallError('ssm', 'StartSession', this.failStartWith);
    const sessionId = `lk-session-${String(++this.counter).padStart(17, '0')}`;
    this.started.push({ ...forwarding, sessionId, credentials });
    return { sessionId, streamUrl: `wss://ssmmessages.${forwarding.region}.amazonaws.com/v1/data-channel/${sessionId}`, tokenValue: TOKEN_VALUE };
  }
  async terminate(_credentials: AwsCredentials, _region: string, sessionId: string): Promise<void> {
    if (this.failTerminateWith) throw new AwsCallError('ssm', 'TerminateSession', this.failTerminateWith);
    this.terminated.push(sessionId);
  }
  /** Started and not terminated. */
  open(): string[] {
    return this.started.map((s) => s.sessionId).filter((id) => !this.terminated.includes(id));
  }
}

export class FakeIssuances implements IssuanceStore {
  readonly events: LogEntry[] = [];
  readonly sessions = new Map<string, SessionRecord>();
  /** Makes every write fail as if DynamoDB were unreachable. */
  down = false;
  /** Runs just before the issuance is recorded: lets a test revoke the grant "meanwhile". */
  beforeRecord?: () => void;
  constructor(private readonly requests: FakeRequests) {}

  private reachable(): void {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
  }
  async recordIssuance(request: ApprovedRequest, expectedVersion: number, entry: LogEntry, sessions: SessionRecord[]): Promise<void> {
    this.beforeRecord?.();
    this.reachable();
    const stored = await this.requests.get(request.tenantId, request.requestId);
    if (!stored || stored.status !== 'approved' || stored.version !== expectedVersion || stored.windowEnd <= entry.at) {
      throw new ConcurrentModificationError('The request');
    }
    for (const s of sessions) this.sessions.set(s.sessionId, structuredClone(s));
    this.events.push(structuredClone(entry));
  }
  async recordFailure(entry: LogEntry): Promise<void> {
    this.reachable();
    this.events.push(structuredClone(entry));
  }
  async recordTermination(entry: LogEntry, sessions: SessionRecord[]): Promise<void> {
    this.reachable();
    if (sessions.some((s) => this.sessions.get(s.sessionId)?.status !== 'active')) throw new ConcurrentModificationError('The SSM session');
    for (const s of sessions) this.sessions.set(s.sessionId, { ...s, status: 'terminated', terminatedAt: entry.at });
    this.events.push(structuredClone(entry));
  }
  async sessionsOf(tenantId: string, requestId: string): Promise<SessionRecord[]> {
    return [...this.sessions.values()].filter((s) => s.tenantId === tenantId && s.requestId === requestId).map((s) => structuredClone(s));
  }
  actions(): string[] {
    return this.events.map((e) => e.action);
  }
}

export type FakeMintingDeps = MintingDeps & {
  clock: FakeClock;
  requests: FakeRequests;
  targets: FakeTargets;
  integrations: FakeIntegrations;
  roleAssumer: FakeRoleAssumer;
  tokenSigner: FakeTokenSigner;
  sessionStarter: FakeSessionStarter;
  issuances: FakeIssuances;
};

// ---- A world: one tenant, one verified integration, one target with a bastion.

export const requester: Principal = { id: 'auth0|alice', kind: 'user', tenantId: TENANT, roles: ['requester'], groups: [] };
export const approver: Principal = { id: 'bob@example.com', kind: 'user', tenantId: TENANT, roles: ['approver'], groups: ['dba'] };
export const REASON = 'SECRET-REASON investigating INC-4242 for customer 991';

export function aTarget(overrides: Partial<TargetInput> = {}): Target {
  const input = targetInputSchema.parse({
    name: 'orders-prod',
    engine: 'postgres',
    endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com',
    port: 5432,
    region: 'eu-central-1',
    accountId: ACCOUNT,
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
    databaseUsers: ['app_ro', 'app_rw'],
    bastionInstanceId: 'i-0123456789abcdef0',
    integrationId: INTEGRATION_ID,
    policy: policySchema.parse({ approvers: { groups: ['dba'], principals: [] }, maxDurationMinutes: 480 }),
    ...overrides,
  });
  return { ...input, tenantId: TENANT, targetId: TARGET_ID, createdAt: T0, createdBy: 'admin', version: 1 };
}

export const anIntegration = (overrides: Partial<Integration> = {}): Integration => ({
  integrationId: INTEGRATION_ID,
  tenantId: TENANT,
  accountId: ACCOUNT,
  roleArn: ROLE_ARN,
  externalId: EXTERNAL_ID,
  status: 'verified',
  // The customer was handed (and applied) the setup of the world's one target.
  setupResources: resourceList(permissionResources([aTarget()])),
  ...overrides,
});

/** Created at T0 and approved at once through the real transitions: the window is T0 .. T0+durationMinutes. */
export function pendingGrant(durationMinutes = 60, requestId = 'req_0000000001'): AccessRequest {
  return transitions.createRequest({
    tenantId: TENANT, requestId, target: aTarget(), databaseUser: 'app_ro', requester, durationMinutes, reason: REASON, now: at(0),
  }).next;
}

export function approvedGrant(durationMinutes = 60, requestId = 'req_0000000001'): ApprovedRequest {
  const next = transitions.approve(pendingGrant(durationMinutes, requestId), approver, aTarget().policy, at(0)).next;
  if (next.status !== 'approved') throw new Error('expected an approved grant');
  return next;
}

export function fakeMintingDeps(): FakeMintingDeps {
  const requests = new FakeRequests();
  const targets = new FakeTargets();
  const integrations = new FakeIntegrations();
  targets.put(aTarget());
  integrations.put(anIntegration());
  return {
    clock: new FakeClock(),
    requests,
    targets,
    integrations,
    roleAssumer: new FakeRoleAssumer(),
    tokenSigner: new FakeTokenSigner(),
    sessionStarter: new FakeSessionStarter(),
    issuances: new FakeIssuances(requests),
  };
}
