import { assumedRoleArn, parseAssumedRoleArn, parseRoleArn, parseUserArn } from './arn.ts';
import * as ids from './ids.ts';
import type { Database, Instance, Principal, Role, RoleSessionPrincipal, SsmSession, Tags, UserPrincipal } from './model.ts';
import { assertPolicy, type PolicyDocument } from './policy-schema.ts';

// Everything the stand-in remembers, in memory. Tests build one, seed it, and
// read it back (issued sessions, SSM sessions) to assert what happened.

/** Documents AWS owns in every region; their ARNs have an empty account field. */
export const AWS_OWNED_DOCUMENTS = [
  'AWS-StartPortForwardingSession',
  'AWS-StartPortForwardingSessionToRemoteHost',
  'AWS-StartSSHSession',
  'AWS-StartInteractiveCommand',
];
/** What StartSession uses when no DocumentName is sent; an account-owned document. */
export const DEFAULT_SESSION_DOCUMENT = 'SSM-SessionManagerRunShell';

export interface AddRoleInput {
  arn: string;
  trustPolicy: PolicyDocument;
  permissionPolicies: PolicyDocument[];
  maxSessionDuration?: number;
  tags?: Tags;
}

export interface AddCredentialsInput {
  /** An IAM user ARN, or an assumed-role ARN to stand for a role session (e.g. the broker's Lambda). */
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  permissionPolicies?: PolicyDocument[];
  tags?: Tags;
}

export interface IssueOptions {
  durationSeconds?: number;
  sessionName?: string;
  sessionPolicy?: PolicyDocument;
  tags?: Tags;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
}

const roleKey = (account: string, name: string): string => `${account}:${name}`;
const databaseKey = (hostname: string, port: number): string => `${hostname.toLowerCase()}:${port}`;

/**
 * A failure injected through the control API (POST /_standin/faults), for the fault tests: the next
 * `times` calls of `operation` (`sts:AssumeRole`, `ssm:StartSession`, …) wait `delayMs` and/or answer
 * `error`; `when: 'after'` does the call first (it takes effect) and then delays or fails the answer,
 * the reply lost on its way back. Kept in memory only, never saved with the state.
 */
export interface StandinFault {
  operation: string;
  delayMs?: number;
  error?: { code: string; status: number };
  when: 'before' | 'after';
  times?: number;
}

export class StandinState {
  /** See StandinFault; takeFault uses them up. */
  faults: StandinFault[] = [];

  takeFault(operation: string): StandinFault | undefined {
    const fault = this.faults.find((f) => f.operation === operation && (f.times ?? 1) > 0);
    if (fault && fault.times !== undefined) fault.times -= 1;
    return fault;
  }

  readonly roles = new Map<string, Role>();
  /** Every known credential, by access key id. */
  readonly principals = new Map<string, Principal>();
  /** SSM sessions by SessionId. */
  readonly sessions = new Map<string, SsmSession>();
  readonly instances = new Map<string, Instance>();
  readonly databases = new Map<string, Database>();
  readonly documents = new Set<string>([...AWS_OWNED_DOCUMENTS, DEFAULT_SESSION_DOCUMENT]);

  private readonly sessionEndListeners = new Set<(session: SsmSession) => void>();

  constructor(public clock: () => Date = () => new Date()) {}

  /** Called once per session as it ends, e.g. to cut the TCP streams open through it. */
  onSessionEnded(listener: (session: SsmSession) => void): () => void {
    this.sessionEndListeners.add(listener);
    return () => this.sessionEndListeners.delete(listener);
  }

  /** Ends a session once; ending it again changes nothing, as TerminateSession in AWS. */
  terminateSession(session: SsmSession, at: Date): void {
    if (session.status === 'Terminated') return;
    Object.assign(session, { status: 'Terminated', endDate: at });
    for (const listener of this.sessionEndListeners) listener(session);
  }

  now(): Date {
    return this.clock();
  }

  addRole(input: AddRoleInput): Role {
    const name = parseRoleArn(input.arn);
    if (!name) throw new Error(`not a role ARN: ${input.arn}`);
    const maxSessionDuration = input.maxSessionDuration ?? 3600;
    if (maxSessionDuration < 3600 || maxSessionDuration > 43_200) throw new Error('maxSessionDuration must be 3600–43200');
    const role: Role = {
      arn: input.arn,
      roleId: ids.roleUniqueId(),
      ...name,
      trustPolicy: assertPolicy(input.trustPolicy, `trust policy of ${input.arn}`),
      permissionPolicies: input.permissionPolicies.map((p, i) => assertPolicy(p, `permission policy ${i} of ${input.arn}`)),
      maxSessionDuration,
      tags: input.tags ?? {},
    };
    this.roles.set(roleKey(name.account, name.name), role);
    return role;
  }

  /** Finds a role by its ARN; the path is ignored, as assumed-role ARNs do not carry it. */
  findRole(arn: string): Role | undefined {
    const name = parseRoleArn(arn);
    return name && this.roles.get(roleKey(name.account, name.name));
  }

  addUser(input: Omit<AddCredentialsInput, 'sessionToken' | 'expiration'>): UserPrincipal {
    const principal = this.addPrincipalCredentials(input);
    if (principal.kind !== 'user') throw new Error(`not a user ARN: ${input.arn}`);
    return principal;
  }

  addPrincipalCredentials(input: AddCredentialsInput): Principal {
    const base = { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey, arn: input.arn, tags: input.tags ?? {} };
    const policies = input.permissionPolicies?.map((p, i) => assertPolicy(p, `permission policy ${i} of ${input.arn}`));
    const user = parseUserArn(input.arn);
    const session = parseAssumedRoleArn(input.arn);
    let principal: Principal;
    if (user) {
      principal = { ...base, kind: 'user', account: user.account, userName: user.name, userId: ids.userUniqueId(), permissionPolicies: policies };
    } else if (session) {
      if (!input.sessionToken) throw new Error('role session credentials need a session token');
      const roleArn = `arn:aws:iam::${session.account}:role/${session.name}`;
      const roleId = this.findRole(roleArn)?.roleId ?? ids.roleUniqueId();
      principal = {
        ...base, kind: 'role-session', account: session.account, roleArn, roleName: session.name,
        sessionName: session.sessionName, sessionToken: input.sessionToken,
        expiration: input.expiration ?? new Date(this.now().getTime() + 12 * 3600_000),
        assumedRoleId: `${roleId}:${session.sessionName}`, userId: `${roleId}:${session.sessionName}`,
        issuedAt: this.now(), transitiveTagKeys: [], issuedByStandin: false, permissionPolicies: policies,
      };
    } else {
      throw new Error(`expected an IAM user or assumed-role ARN: ${input.arn}`);
    }
    this.principals.set(principal.accessKeyId, principal);
    return principal;
  }

  /** Mints role credentials without any trust check: for tests and the dev CLI acting as a role. */
  issueCredentialsFor(roleArn: string, options: IssueOptions = {}): RoleSessionPrincipal {
    const role = this.findRole(roleArn);
    if (!role) throw new Error(`unknown role: ${roleArn}`);
    const issuedAt = this.now();
    const sessionName = options.sessionName ?? 'standin-session';
    const assumedRoleId = `${role.roleId}:${sessionName}`;
    const principal: RoleSessionPrincipal = {
      kind: 'role-session', accessKeyId: ids.temporaryAccessKeyId(), secretAccessKey: ids.secretAccessKey(),
      sessionToken: ids.sessionToken(), expiration: new Date(issuedAt.getTime() + (options.durationSeconds ?? 3600) * 1000),
      arn: assumedRoleArn(role, sessionName), account: role.account, roleArn: role.arn, roleName: role.name,
      sessionName, assumedRoleId, userId: assumedRoleId, issuedAt, tags: options.tags ?? {},
      transitiveTagKeys: options.transitiveTagKeys ?? [], issuedByStandin: true,
      ...(options.sourceIdentity !== undefined && { sourceIdentity: options.sourceIdentity }),
      ...(options.sessionPolicy !== undefined && { sessionPolicy: options.sessionPolicy }),
    };
    this.principals.set(principal.accessKeyId, principal);
    return principal;
  }

  /** Role sessions this stand-in minted, oldest first. */
  get issuedSessions(): RoleSessionPrincipal[] {
    return [...this.principals.values()].filter((p): p is RoleSessionPrincipal => p.kind === 'role-session' && p.issuedByStandin);
  }

  lookupCredential(accessKeyId: string): Principal | undefined {
    return this.principals.get(accessKeyId);
  }

  addInstance(input: { instanceId: string; account: string; region: string; tags?: Tags }): Instance {
    const instance = { ...input, tags: input.tags ?? {} };
    this.instances.set(input.instanceId, instance);
    return instance;
  }

  addDatabase(input: Database): Database {
    this.databases.set(databaseKey(input.hostname, input.port), { ...input });
    return input;
  }

  findDatabase(hostname: string, port: number): Database | undefined {
    return this.databases.get(databaseKey(hostname, port));
  }
}
