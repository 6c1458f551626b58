import { inflateRawSync } from 'node:zlib';

// Small readers for what `osls package` writes: the CloudFormation template's
// policy statements and the entries of a function zip (no unzip binary needed).

export type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Description?: string; Value: unknown }> };
export type Resource = { Type: string; Condition?: string; Properties?: Record<string, any>; DependsOn?: string | string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Statement = { Sid?: string; Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: unknown; NotResource?: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
export type FoundStatement = { resource: string; kind: 'identity' | 'trust' | 'resource-policy'; statement: Statement };

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every policy statement in the template: identity policies, role trust policies and resource policies. */
export function allStatements(template: Template): FoundStatement[] {
  const found: FoundStatement[] = [];
  const add = (resource: string, kind: FoundStatement['kind'], document: { Statement?: Statement | Statement[] } | undefined) => {
    for (const statement of list(document?.Statement)) found.push({ resource, kind, statement });
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Role') {
      add(id, 'trust', p.AssumeRolePolicyDocument);
      for (const policy of list(p.Policies)) add(id, 'identity', policy.PolicyDocument);
    } else if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      add(id, 'identity', p.PolicyDocument);
    } else if (r.Type === 'AWS::ApiGateway::RestApi') {
      add(id, 'resource-policy', p.Policy);
    } else if (r.Type.endsWith('Policy') && p.PolicyDocument) {
      add(id, 'resource-policy', p.PolicyDocument);
    }
  }
  return found;
}

/**
 * A short name for a policy Resource expression: `main`, `log`, `idempotency`, `main/index/GSI1`,
 * `logs:<LogGroupId>`, or the literal string. Anything else is returned as JSON,
 * so an unexpected shape shows up in a failing comparison.
 */
export function resourceLabel(expression: unknown): string {
  const tables: Record<string, string> = { MainTable: 'main', GrantLogTable: 'log', IdempotencyTable: 'idempotency' };
  if (typeof expression === 'string') return expression;
  const e = expression as Record<string, any>;
  const getAtt = e['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt?.[1] === 'StreamArn' && tables[getAtt[0]]) return `${tables[getAtt[0]]}/stream`;
  if (getAtt?.[1] === 'Arn') {
    if (tables[getAtt[0]]) return tables[getAtt[0]]!;
    if (getAtt[0].endsWith('LogGroup')) return `logs:${getAtt[0]}`;
  }
  const join = e['Fn::Join'] as [string, unknown[]] | undefined;
  // An ARN or policy value spelled in pieces (to keep `${…}` from osls): the string IAM sees, pseudo parameters as `${AWS::…}`.
  if (join && join[0] === '' && join[1].every((part) => typeof part === 'string' || typeof (part as { Ref?: unknown }).Ref === 'string')) {
    return join[1].map((part) => (typeof part === 'string' ? part : `\${${(part as { Ref: string }).Ref}}`)).join('');
  }
  if (join && join[0] === '/') {
    const [head, ...rest] = join[1];
    const table = resourceLabel(head);
    if ((table === 'main' || table === 'log') && rest.every((part) => typeof part === 'string')) return [table, ...rest].join('/');
  }
  return JSON.stringify(expression);
}

/** A statement's Condition in one line: `Operator key=value|value` per key, `;` between them. */
export function conditionLabel(condition: Statement['Condition']): string {
  return Object.entries(condition ?? {})
    .flatMap(([operator, block]) => Object.entries(block).map(([key, values]) => `${operator} ${key}=${list(values).map(resourceLabel).join('|')}`))
    .join('; ');
}

/** `<resource label> <action>` (and ` if <condition>`) for every Allow in a role's inline policies, sorted. */
export function grantsOfRole(role: Resource): string[] {
  const grants = new Set<string>();
  for (const policy of list(role.Properties?.Policies)) {
    for (const s of list<Statement>(policy.PolicyDocument?.Statement)) {
      if (s.Effect !== 'Allow') continue;
      const condition = s.Condition ? ` if ${conditionLabel(s.Condition)}` : '';
      for (const action of list(s.Action)) for (const r of list(s.Resource)) grants.add(`${resourceLabel(r)} ${action}${condition}`);
    }
  }
  return [...grants].sort();
}

/** Names and contents of the files in a zip archive (stored or deflated entries). */
export function zipEntries(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (!name.endsWith('/')) entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
