import * as z from 'zod';
import { ValidationError } from '../kernel/errors.ts';

// IAM role ARNs carry a path (arn:aws:iam::A:role/path/Name) but the assumed-role
// ARN API Gateway reports for a caller does not (arn:aws:sts::A:assumed-role/Name/session).
// Role names are unique within an account, so account + name identifies the role.

export type RoleRef = { accountId: string; name: string };

/**
 * arn:PARTITION:iam::ACCOUNT:role/PATH/NAME within IAM's own limits: a path of `/`-separated non-empty
 * segments (at most 512 characters, slashes included) and a name of 1–64 of `[\w+=,.@-]`. Every place that
 * accepts a role (services, integrations, the broker setting) uses this one pattern, so what a schema lets
 * through, parseRoleArn reads.
 */
const roleArn = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const MAX_ROLE_PATH = 512;
const assumedRoleArn = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{2,64}$/;
const ROLE_ARN_RULE = 'is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME, a name of 1 to 64 of A-Z a-z 0-9 _+=,.@-, path segments of the same characters)';

const matchRoleArn = (arn: string) => {
  const m = roleArn.exec(arn);
  return m && m[2]!.length <= MAX_ROLE_PATH ? { accountId: m[1]!, name: m[3]! } : undefined;
};

export const isRoleArn = (arn: string): boolean => matchRoleArn(arn) !== undefined;

/** The one schema for a role ARN in a body or a setting. */
export const roleArnSchema = z.string().max(2048).regex(roleArn, ROLE_ARN_RULE).refine(isRoleArn, ROLE_ARN_RULE);

/** Account and name of a role ARN; a ValidationError (a 400, never a 500) for anything roleArnSchema refuses. */
export function parseRoleArn(arn: string): RoleRef {
  const role = matchRoleArn(arn);
  if (!role) throw new ValidationError(`The role ARN ${ROLE_ARN_RULE}.`, { path: ['roleArn'] });
  return role;
}

/** The role behind a caller ARN, or undefined for IAM users, root and anything else. */
export function roleOfCaller(callerArn: string): RoleRef | undefined {
  const m = assumedRoleArn.exec(callerArn);
  return m ? { accountId: m[1]!, name: m[2]! } : matchRoleArn(callerArn);
}

/** The AWS-owned Session Manager document that forwards a local port to a remote host through an instance. */
export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

// Every resource ARN Latchkey names in an IAM document is built here, once: the
// customer's permission policy and the per-issuance session policy must name
// the same strings, or the session policy would allow what the role does not.

type Place = { region: string; accountId: string };

/** What rds-db:connect is granted on: one database user of one instance or cluster (`db-…` / `cluster-…` resource id). */
export const dbUserArn = (t: Place & { resourceId: string }, user: string): string => `arn:aws:rds-db:${t.region}:${t.accountId}:dbuser:${t.resourceId}/${user}`;
export const instanceArn = (t: Place, instanceId: string): string => `arn:aws:ec2:${t.region}:${t.accountId}:instance/${instanceId}`;
/** AWS-owned documents have an empty account field. */
export const portForwardingDocumentArn = (region: string): string => `arn:aws:ssm:${region}::document/${PORT_FORWARDING_DOCUMENT}`;
/** Every SSM session of the account in the region: sessions are named by SSM when they start, so only a condition can narrow this. */
export const sessionArns = (region: string, accountId: string): string => `arn:aws:ssm:${region}:${accountId}:session/*`;
