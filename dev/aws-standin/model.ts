import type { PolicyDocument } from './policy-schema.ts';

// What the stand-in knows about the simulated AWS accounts.

export type Tags = Record<string, string>;

export interface Role {
  arn: string;
  /** `AROA…`, the role's unique id; with the session name it forms `aws:userid`. */
  roleId: string;
  account: string;
  name: string;
  trustPolicy: PolicyDocument;
  permissionPolicies: PolicyDocument[];
  /** Seconds, 3600–43200 as in IAM. */
  maxSessionDuration: number;
  tags: Tags;
}

/** Anything that can sign a request: what `verifySigV4` needs to know. */
export interface SigningCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Temporary credentials stop working at this instant. */
  expiration?: Date;
}

interface PrincipalBase extends SigningCredential {
  arn: string;
  account: string;
  /** The `aws:userid` value: `AIDA…` for users, `AROA…:session` for role sessions. */
  userId: string;
  tags: Tags;
  /** Used when the principal's role is not registered; undefined means "allow everything". */
  permissionPolicies?: PolicyDocument[];
}

export interface UserPrincipal extends PrincipalBase {
  kind: 'user';
  userName: string;
}

export interface RoleSessionPrincipal extends PrincipalBase {
  kind: 'role-session';
  roleArn: string;
  roleName: string;
  sessionName: string;
  sessionToken: string;
  expiration: Date;
  /** `AROA…:sessionName`, as STS returns in AssumedRoleUser. */
  assumedRoleId: string;
  issuedAt: Date;
  sourceIdentity?: string;
  sessionPolicy?: PolicyDocument;
  transitiveTagKeys: string[];
  /** False for credentials registered from outside (e.g. the broker's own Lambda session). */
  issuedByStandin: boolean;
}

export type Principal = UserPrincipal | RoleSessionPrincipal;

export interface Instance {
  instanceId: string;
  account: string;
  region: string;
  tags: Tags;
}

export interface Database {
  hostname: string;
  port: number;
  region: string;
  account: string;
  /** `db-…` or `cluster-…`, the segment of the rds-db:connect resource ARN. */
  resourceId: string;
  /**
   * Where the database really listens on this machine, when `hostname` is an
   * RDS name that resolves nowhere: the VPC DNS a bastion would use. Port
   * forwarding to `hostname:port` dials this address instead.
   */
  reachableAt?: { host: string; port: number };
}

export interface SsmSession {
  sessionId: string;
  status: 'Connected' | 'Terminated';
  /** ARN of the caller that started it (an assumed-role ARN for role sessions). */
  owner: string;
  /** `aws:userid` of the owner; AWS tags the session with it (`aws:ssmmessages:session-id`). */
  ownerUserId: string;
  target: string;
  documentName: string;
  parameters: Record<string, string[]>;
  reason?: string;
  region: string;
  account: string;
  startDate: Date;
  endDate?: Date;
  streamUrl: string;
  /** SHA-256 (hex) of the session's TokenValue: streams must present the token; the state never holds it. */
  tokenHash: string;
}
