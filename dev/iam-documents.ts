import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PolicyDocument } from './aws-standin/policy-schema.ts';
import { repoRoot } from './paths.ts';

// The IAM documents of infra/iam.yml as the local stack installs them in the
// stand-in, so that the DynamoDB front judges every call by the very policies a
// deploy creates: the tenant-data role (its trust and LeadingKeys policy) and the
// functions' own grants. One process runs every function here, as one session of
// one role, so that session gets the union of the function roles' policies —
// which still reaches no tenant item (tests/package checks each role on its own).

export interface LocalIamNames {
  service: string;
  stage: string;
  region: string;
  account: string;
  tables: { main: string; log: string };
  /** The role the local functions run as (every function role's GetAtt Arn stands for it). */
  functionRoleArn: string;
}

export interface LocalIamDocuments {
  tenantDataRole: { arn: string; trustPolicy: PolicyDocument; permissionPolicies: PolicyDocument[] };
  functionPolicies: PolicyDocument[];
}

type Resource = { Type?: string; Properties?: { RoleName?: string; AssumeRolePolicyDocument?: unknown; Policies?: { PolicyDocument: unknown }[] } };

/** Renders the few intrinsic functions infra/iam.yml uses; anything else is an error, not a guess. */
function render(value: unknown, names: LocalIamNames, resources: Record<string, Resource>): unknown {
  if (typeof value === 'string') return value.replaceAll('${self:service}', names.service).replaceAll('${sls:stage}', names.stage);
  if (Array.isArray(value)) return value.map((v) => render(v, names, resources));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [name, argument] = entries[0] ?? [];
  if (entries.length === 1 && name === 'Ref') {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': names.account, 'AWS::Region': names.region };
    const resolved = pseudo[String(argument)];
    if (resolved === undefined) throw new Error(`infra/iam.yml: Ref ${String(argument)} has no local value`);
    return resolved;
  }
  if (entries.length === 1 && name === 'Fn::Join') {
    const [separator, parts] = argument as [string, unknown[]];
    return (render(parts, names, resources) as string[]).join(separator);
  }
  if (entries.length === 1 && name === 'Fn::GetAtt') {
    const [logicalId] = argument as [string, string];
    const tables: Record<string, string> = { MainTable: names.tables.main, GrantLogTable: names.tables.log };
    const table = tables[logicalId];
    if (table) return `arn:aws:dynamodb:${names.region}:${names.account}:table/${table}`;
    if (resources[logicalId]?.Type === 'AWS::IAM::Role') return names.functionRoleArn;
    if (logicalId.endsWith('LogGroup')) return `arn:aws:logs:${names.region}:${names.account}:log-group:${logicalId}:*`;
    throw new Error(`infra/iam.yml: GetAtt ${logicalId} has no local value`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, render(v, names, resources)]));
}

export function localIamDocuments(names: LocalIamNames, path = join(repoRoot, 'infra/iam.yml')): LocalIamDocuments {
  const resources = (parse(readFileSync(path, 'utf8')) as { Resources: Record<string, Resource> }).Resources;
  const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
  const policiesOf = (resource: Resource) => (resource.Properties?.Policies ?? []).map((p) => render(p.PolicyDocument, names, resources) as PolicyDocument);
  const tenantData = resources.TenantDataRole;
  if (!tenantData?.Properties) throw new Error('infra/iam.yml: no TenantDataRole');
  return {
    tenantDataRole: {
      arn: `arn:aws:iam::${names.account}:role/${render(tenantData.Properties.RoleName, names, resources) as string}`,
      trustPolicy: render(tenantData.Properties.AssumeRolePolicyDocument, names, resources) as PolicyDocument,
      permissionPolicies: policiesOf(tenantData),
    },
    functionPolicies: roles.filter(([id]) => id !== 'TenantDataRole').flatMap(([, role]) => policiesOf(role)),
  };
}
