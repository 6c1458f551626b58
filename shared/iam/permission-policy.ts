import { createHash } from 'node:crypto';
import { dbUserArn, instanceArn, portForwardingDocumentArn, sessionArns } from './arns.ts';
import { canonicalJson } from '../kernel/canonical-json.ts';
import { terminateOwnSessionsStatement, type IamPolicy, type IamStatement } from './policy-document.ts';
import type { Target } from '../targets/index.ts';

// The role's permission policy a customer installs, computed from the
// integration and its CURRENT targets, so adding a target or a database user
// changes it. Resources are exact: one dbuser ARN per registered database user,
// the one bastion instance and the AWS-owned document; the only wildcard is the
// SSM session id, because sessions are created later and named by SSM.

/** The database user Latchkey itself connects as to end a grant's sessions; the setup's SQL creates it. */
export const CONTROL_DB_USER = 'latchkey_control';

export type SetupTarget = Pick<Target, 'targetId' | 'name' | 'engine' | 'aurora' | 'endpoint' | 'port' | 'region' | 'accountId' | 'resourceId' | 'databaseUsers' | 'bastionInstanceId'> & {
  /** Only whether the grant's sessions are ended, and how: it decides whether the control user is in the setup. */
  policy?: Pick<Target['policy'], 'sessions'>;
};

/** The database users the role may connect as: the requestable ones and, when Latchkey ends sessions directly, its control user. */
export const connectableUsers = (t: SetupTarget): string[] =>
  t.policy?.sessions?.terminateVia === 'direct' ? [...t.databaseUsers, CONTROL_DB_USER] : [...t.databaseUsers];

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
    dbUsers: sorted(targets.flatMap((t) => connectableUsers(t).map((u) => dbUserArn(t, u)))),
    startSession: sorted([...bastions.map((t) => instanceArn(t, t.bastionInstanceId!)), ...bastions.map((t) => portForwardingDocumentArn(t.region))]),
    sessions: sorted(bastions.map((t) => sessionArns(t.region, t.accountId))),
  };
}

/** Every resource the permission policy names, as one sorted list: what `changes` compares and the setup baseline keeps. */
export const resourceList = (r: PermissionResources): string[] => sorted([...r.dbUsers, ...r.startSession, ...r.sessions]);

/**
 * The inverse of resourceList, for a setup baseline: each ARN goes back to the
 * statement that names it, told apart by the resource type the builders in
 * arns.ts write. An ARN of any other type is dropped: it would grant nothing.
 */
export function resourcesFromList(list: readonly string[]): PermissionResources {
  const of = (pattern: RegExp) => sorted(list.filter((arn) => pattern.test(arn)));
  return {
    dbUsers: of(/^arn:aws:rds-db:[^:]*:\d{12}:dbuser:/),
    startSession: of(/^arn:aws:ec2:[^:]*:\d{12}:instance\/|^arn:aws:ssm:[^:]*::document\//),
    sessions: of(/^arn:aws:ssm:[^:]*:\d{12}:session\//),
  };
}

export const connectStatement = (dbUsers: string[]): IamStatement => ({ Sid: 'ConnectAsRegisteredDatabaseUsers', Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUsers });
export const startSessionStatement = (resources: string[]): IamStatement => ({ Sid: 'PortForwardThroughBastions', Effect: 'Allow', Action: 'ssm:StartSession', Resource: resources });

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
