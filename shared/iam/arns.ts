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
