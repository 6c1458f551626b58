// The few ARN shapes the stand-in reasons about. Role paths are kept on the
// IAM role ARN but dropped from assumed-role ARNs, exactly as STS does.
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export interface RoleName {
  account: string;
  name: string;
}

/** `arn:aws:iam::A:role/path/Name` → { A, Name }. */
export function parseRoleArn(arn: string): RoleName | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('role/')) return undefined;
  const name = parsed.resource.split('/').at(-1);
  return name ? { account: parsed.account, name } : undefined;
}

/** `arn:aws:sts::A:assumed-role/Name/Session` → { A, Name, Session }. */
export function parseAssumedRoleArn(arn: string): (RoleName & { sessionName: string }) | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sts' || !parsed.resource.startsWith('assumed-role/')) return undefined;
  const [, name, sessionName] = parsed.resource.split('/');
  return name && sessionName ? { account: parsed.account, name, sessionName } : undefined;
}

/** `arn:aws:iam::A:user/path/Name` → { A, Name }. */
export function parseUserArn(arn: string): RoleName | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('user/')) return undefined;
  const name = parsed.resource.split('/').at(-1);
  return name ? { account: parsed.account, name } : undefined;
}

export const assumedRoleArn = (role: RoleName, sessionName: string): string =>
  `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;

/** Role ARN without path, which is all an assumed-role ARN lets us recover. */
export const bareRoleArn = (role: RoleName): string => `arn:aws:iam::${role.account}:role/${role.name}`;
