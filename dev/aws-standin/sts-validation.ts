import { AwsError } from './aws-error.ts';
import { parsePolicyText, type PolicyDocument } from './policy-schema.ts';

// AssumeRole's input constraints and the exact "N validation errors detected"
// wording STS uses, so callers' error handling meets the real messages.

export interface SessionTag {
  key: string;
  value: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  externalId?: string;
  sourceIdentity?: string;
  policyText?: string;
  policy?: PolicyDocument;
  tags: SessionTag[];
  transitiveTagKeys: string[];
}

const NAME_PATTERN = /^[\w+=,.@-]*$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]*$/;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const POLICY_PATTERN = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;

class Problems {
  readonly list: string[] = [];
  // Secrets (the external ID) and long values (the policy) are not echoed back.
  private show = (field: string, value: string): string =>
    field === 'externalId' || field === 'policy' ? `Value at '${field}'` : `Value '${value}' at '${field}'`;

  length(field: string, value: string | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (value.length < min) this.list.push(`${this.show(field, value)} failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
    if (value.length > max) this.list.push(`${this.show(field, value)} failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }

  pattern(field: string, value: string | undefined, pattern: RegExp, shown: string): void {
    if (value !== undefined && !pattern.test(value)) {
      this.list.push(`${this.show(field, value)} failed to satisfy constraint: Member must satisfy regular expression pattern: ${shown}`);
    }
  }

  required(field: string, value: string | undefined): void {
    if (value === undefined) this.list.push(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

/** Reads a query-protocol list such as `TransitiveTagKeys.member.N`, in N order. */
function listMembers(form: URLSearchParams, name: string): string[] {
  const found: [number, string][] = [];
  for (const [key, value] of form) {
    const match = /^(\w+)\.member\.(\d+)$/.exec(key);
    if (match?.[1] === name) found.push([Number(match[2]), value]);
  }
  return found.sort(([a], [b]) => a - b).map(([, value]) => value);
}

export function parseAssumeRole(form: URLSearchParams): AssumeRoleInput {
  const get = (name: string): string | undefined => form.get(name) ?? undefined;
  // Managed session policies would narrow permissions; ignoring them would make
  // the stand-in more permissive than AWS, so refuse them outright.
  if ([...form.keys()].some((key) => key.startsWith('PolicyArns.'))) {
    throw new AwsError('NotImplemented', 'PolicyArns (managed session policies) are not supported by the AWS stand-in.', 400);
  }
  const problems = new Problems();
  const [roleArn, roleSessionName, externalId, sourceIdentity, policyText] =
    ['RoleArn', 'RoleSessionName', 'ExternalId', 'SourceIdentity', 'Policy'].map(get);

  problems.required('roleArn', roleArn);
  problems.length('roleArn', roleArn, 20, 2048);
  problems.required('roleSessionName', roleSessionName);
  problems.length('roleSessionName', roleSessionName, 2, 64);
  problems.pattern('roleSessionName', roleSessionName, NAME_PATTERN, '[\\w+=,.@-]*');
  problems.length('externalId', externalId, 2, 1224);
  problems.pattern('externalId', externalId, EXTERNAL_ID_PATTERN, '[\\w+=,./@:-]*');
  problems.length('sourceIdentity', sourceIdentity, 2, 64);
  problems.pattern('sourceIdentity', sourceIdentity, NAME_PATTERN, '[\\w+=,.@-]*');
  problems.length('policy', policyText, 1, 2048);
  problems.pattern('policy', policyText, POLICY_PATTERN, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+');

  const rawDuration = get('DurationSeconds');
  const durationSeconds = rawDuration === undefined ? undefined : Number(rawDuration);
  if (durationSeconds !== undefined) {
    if (!Number.isInteger(durationSeconds)) problems.list.push(`Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
    else if (durationSeconds < 900) problems.list.push(`Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    else if (durationSeconds > 43_200) problems.list.push(`Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
  }

  const tags = parseTags(form, problems);
  const transitiveTagKeys = listMembers(form, 'TransitiveTagKeys');
  if (transitiveTagKeys.length > 50) problems.list.push(`Value '[${transitiveTagKeys.join(', ')}]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50`);
  transitiveTagKeys.forEach((key, i) => problems.length(`transitiveTagKeys.${i + 1}.member`, key, 1, 128));

  if (problems.list.length > 0) {
    const n = problems.list.length;
    throw validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${problems.list.join('; ')}`);
  }
  // The grammar is checked only once the raw text is acceptable, as STS does.
  if (sourceIdentity?.toLowerCase().startsWith('aws:')) throw validationError("SourceIdentity must not begin with the prefix 'aws:'.");
  const seen = new Set<string>();
  for (const { key } of tags) {
    if (seen.has(key.toLowerCase())) throw validationError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
  }
  const policy = policyText === undefined ? undefined : parsePolicyText(policyText);
  if (policyText !== undefined && !policy) throw new AwsError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);

  return {
    roleArn: roleArn ?? '', roleSessionName: roleSessionName ?? '', tags, transitiveTagKeys,
    ...(durationSeconds !== undefined && { durationSeconds }),
    ...(externalId !== undefined && { externalId }),
    ...(sourceIdentity !== undefined && { sourceIdentity }),
    ...(policyText !== undefined && { policyText, policy }),
  };
}

function parseTags(form: URLSearchParams, problems: Problems): SessionTag[] {
  const indexes = new Set<number>();
  for (const key of form.keys()) {
    const match = /^Tags\.member\.(\d+)\.(Key|Value)$/.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  const tags = [...indexes].sort((a, b) => a - b).map((i) => ({
    i,
    key: form.get(`Tags.member.${i}.Key`) ?? undefined,
    value: form.get(`Tags.member.${i}.Value`) ?? undefined,
  }));
  if (tags.length > 50) problems.list.push(`Value '[${tags.map((t) => t.key).join(', ')}]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`);
  for (const { i, key, value } of tags) {
    problems.required(`tags.${i}.member.key`, key);
    problems.length(`tags.${i}.member.key`, key, 1, 128);
    problems.pattern(`tags.${i}.member.key`, key, TAG_PATTERN, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    problems.required(`tags.${i}.member.value`, value);
    problems.length(`tags.${i}.member.value`, value, 0, 256);
    problems.pattern(`tags.${i}.member.value`, value, TAG_PATTERN, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
  }
  return tags.map(({ key, value }) => ({ key: key ?? '', value: value ?? '' }));
}
