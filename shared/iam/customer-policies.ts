import { createHash } from 'node:crypto';
import { PORT_FORWARDING_DOCUMENT } from './arns.ts';
import { canonicalJson } from '../kernel/canonical-json.ts';
import type { Target } from '../targets/index.ts';

// The two IAM documents a customer installs, computed from the integration and
// its CURRENT targets, so adding a target or a database user changes them.
// Resources are exact: one dbuser ARN per registered database user, the one
// bastion instance and the AWS-owned document; the only wildcard is the SSM
// session id, because sessions are created later and named by SSM.

export type SetupTarget = Pick<Target, 'targetId' | 'name' | 'engine' | 'aurora' | 'endpoint' | 'port' | 'region' | 'accountId' | 'resourceId' | 'databaseUsers' | 'bastionInstanceId'>;

type Condition = Record<string, Record<string, string | string[]>>;
export type IamStatement = { Sid: string; Effect: 'Allow'; Principal?: { AWS: string }; Action: string | string[]; Resource?: string[]; Condition?: Condition };
export type IamPolicy = { Version: '2012-10-17'; Statement: IamStatement[] };

/** The actions issuance uses: AssumeRole with session tags and a SourceIdentity. */
export const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] as const;

/**
 * Exactly one statement: the broker role, the three actions, and the external
 * ID as a StringEquals condition. With one statement every action carries the
 * condition, so none of them is allowed without the ID.
 */
export function trustPolicy(brokerRoleArn: string, externalId: string): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LatchkeyBroker',
        Effect: 'Allow',
        Principal: { AWS: brokerRoleArn },
        Action: [...TRUST_ACTIONS],
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}

export const dbUserArn = (t: Pick<SetupTarget, 'region' | 'accountId' | 'resourceId'>, user: string) =>
  `arn:aws:rds-db:${t.region}:${t.accountId}:dbuser:${t.resourceId}/${user}`;
export const instanceArn = (t: Pick<SetupTarget, 'region' | 'accountId'>, instanceId: string) => `arn:aws:ec2:${t.region}:${t.accountId}:instance/${instanceId}`;
/** AWS-owned documents have an empty account field. */
export const portForwardingDocumentArn = (region: string) => `arn:aws:ssm:${region}::document/${PORT_FORWARDING_DOCUMENT}`;
export const sessionArns = (region: string, accountId: string) => `arn:aws:ssm:${region}:${accountId}:session/*`;

export type PermissionResources = {
  /** rds-db:connect */
  dbUsers: string[];
  /** ssm:StartSession: bastion instances and the port-forwarding document of their regions */
  startSession: string[];
  /** ssm:TerminateSession, narrowed to the caller's own sessions by condition */
  sessions: string[];
};

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export function permissionResources(targets: readonly SetupTarget[]): PermissionResources {
  const bastions = targets.filter((t) => t.bastionInstanceId);
  return {
    dbUsers: sorted(targets.flatMap((t) => t.databaseUsers.map((u) => dbUserArn(t, u)))),
    startSession: sorted([...bastions.map((t) => instanceArn(t, t.bastionInstanceId!)), ...bastions.map((t) => portForwardingDocumentArn(t.region))]),
    sessions: sorted(bastions.map((t) => sessionArns(t.region, t.accountId))),
  };
}

/** Every resource the permission policy names, as one sorted list: what `changes` compares. */
export const resourceList = (r: PermissionResources): string[] => sorted([...r.dbUsers, ...r.startSession, ...r.sessions]);

export const connectStatement = (dbUsers: string[]): IamStatement => ({ Sid: 'ConnectAsRegisteredDatabaseUsers', Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUsers });
export const startSessionStatement = (resources: string[]): IamStatement => ({ Sid: 'PortForwardThroughBastions', Effect: 'Allow', Action: 'ssm:StartSession', Resource: resources });
/**
 * SSM tags each session with its starter's `aws:userid` (`AROA…:sessionName`
 * for a role session) under `aws:ssmmessages:session-id`. A Resource of
 * `session/${aws:userid}-*` never matches a role session's own sessions (their
 * ids start with the session name), so this is the form AWS documents for
 * federated and role users ("Example 4: Allow a user to end only sessions they
 * started", Session Manager user guide, getting-started-restrict-access-examples).
 */
export const terminateOwnSessionsStatement = (sessions: string[]): IamStatement => ({
  Sid: 'EndOwnSessions',
  Effect: 'Allow',
  Action: 'ssm:TerminateSession',
  Resource: sessions,
  Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
});

/** The role's inline policy, or undefined while the integration has no targets (IAM refuses an empty one). */
export function permissionPolicy(resources: PermissionResources): IamPolicy | undefined {
  const statements: IamStatement[] = [];
  if (resources.dbUsers.length > 0) statements.push(connectStatement(resources.dbUsers));
  if (resources.startSession.length > 0) statements.push(startSessionStatement(resources.startSession), terminateOwnSessionsStatement(resources.sessions));
  return statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : undefined;
}

/** sha256 of the canonical policy: equal policies, equal hashes, whatever the key order. */
export const policyHash = (policy: IamPolicy | undefined): string => createHash('sha256').update(canonicalJson(policy ?? null)).digest('hex');

export type ResourceChanges = { added: string[]; removed: string[] };

export function changesSince(previous: readonly string[] | undefined, current: readonly string[]): ResourceChanges {
  const before = new Set(previous ?? []);
  const now = new Set(current);
  return { added: current.filter((r) => !before.has(r)), removed: (previous ?? []).filter((r) => !now.has(r)) };
}

// IAM counts policy size in characters, ignoring white space (IAM and STS quotas, IAM user guide).
export const TRUST_POLICY_LIMIT = 2048; // default; AWS can raise it to 4096 on request
export const ROLE_INLINE_POLICIES_LIMIT = 10_240; // all inline policies of a role together

export const iamSize = (policy: IamPolicy | undefined): number => (policy ? JSON.stringify(policy).replace(/\s/g, '').length : 0);

export type PolicySizes = {
  trustPolicy: { characters: number; limit: number };
  permissionPolicy: { characters: number; limit: number };
};

export function policySizes(trust: IamPolicy, permission: IamPolicy | undefined): PolicySizes {
  return {
    trustPolicy: { characters: iamSize(trust), limit: TRUST_POLICY_LIMIT },
    permissionPolicy: { characters: iamSize(permission), limit: ROLE_INLINE_POLICIES_LIMIT },
  };
}
