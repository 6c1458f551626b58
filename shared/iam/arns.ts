// IAM role ARNs carry a path (arn:aws:iam::A:role/path/Name) but the assumed-role
// ARN API Gateway reports for a caller does not (arn:aws:sts::A:assumed-role/Name/session).
// Role names are unique within an account, so account + name identifies the role.

export type RoleRef = { accountId: string; name: string };

const roleArn = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const assumedRoleArn = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{2,64}$/;

export function parseRoleArn(arn: string): RoleRef {
  const m = roleArn.exec(arn);
  if (!m) throw new Error('not an IAM role ARN');
  return { accountId: m[1]!, name: m[2]! };
}

/** The role behind a caller ARN, or undefined for IAM users, root and anything else. */
export function roleOfCaller(callerArn: string): RoleRef | undefined {
  const m = assumedRoleArn.exec(callerArn) ?? roleArn.exec(callerArn);
  return m ? { accountId: m[1]!, name: m[2]! } : undefined;
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
