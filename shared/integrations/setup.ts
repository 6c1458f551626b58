import { SetupTooLargeError } from './errors.ts';
import type { Integration } from './integration.ts';
import { customerRoleTemplate, quickCreateLink, type CfnTemplate, type QuickCreate, type TemplateValues } from './setup-cloudformation.ts';
import {
  assertCoversGrants, permissionPolicy, permissionResources, policyHash, policySizes, resourceList, trustPolicy,
  type IamPolicy, type PermissionResources, type PolicySizes, type SetupTarget,
} from '../iam/index.ts';
import { databaseSql, sqlScript, type DatabaseSql } from './setup-sql.ts';
import { terraformSnippet } from './setup-terraform.ts';

// Everything a customer installs for one integration, computed purely from the
// integration, its current targets and two settings. The use case adds the
// `changes` since the baseline the admin was last handed.

export type SetupSettings = { brokerRoleArn: string; templateBaseUrl?: string };

export type Setup = {
  integrationId: string;
  accountId: string;
  externalId: string;
  brokerRoleArn: string;
  roleName: string;
  trustPolicy: IamPolicy;
  /** null while the integration has no targets. */
  permissionPolicy: IamPolicy | null;
  resources: PermissionResources;
  policyHash: string;
  sizes: PolicySizes;
  databases: DatabaseSql[];
  cloudFormation: { template: CfnTemplate; quickCreate: QuickCreate };
  terraform: string;
  sql: string;
};

/** Role names: 1–64 of `[\w+=,.@-]`; integration ids (`int_` + 26) keep this at 45. */
export const roleNameFor = (integrationId: string) => `LatchkeyAccess-${integrationId}`;
/** Stack names: letters, digits and hyphens, starting with a letter. */
export const stackNameFor = (integrationId: string) => `latchkey-${integrationId.replace(/[^A-Za-z0-9-]/g, '-')}`;

export function buildSetup(integration: Integration, targets: readonly SetupTarget[], settings: SetupSettings): Setup {
  const linked = [...targets].filter((t) => t.accountId === integration.accountId).sort((a, b) => (a.targetId < b.targetId ? -1 : 1));
  const trust = trustPolicy(settings.brokerRoleArn, integration.externalId);
  const resources = permissionResources(linked);
  const permission = permissionPolicy(resources);
  // Issuance refuses a session policy this does not cover; a setup that fails its own grants is a bug, so say it here.
  assertCoversGrants(permission, linked);
  const sizes = policySizes(trust, permission);
  if (sizes.trustPolicy.characters > sizes.trustPolicy.limit) throw new SetupTooLargeError('trustPolicy', sizes.trustPolicy.characters, sizes.trustPolicy.limit);
  if (sizes.permissionPolicy.characters > sizes.permissionPolicy.limit) {
    throw new SetupTooLargeError('permissionPolicy', sizes.permissionPolicy.characters, sizes.permissionPolicy.limit);
  }
  const roleName = roleNameFor(integration.integrationId);
  const values: TemplateValues = { externalId: integration.externalId, brokerRoleArn: settings.brokerRoleArn, roleName, resources };
  const databases = linked.map(databaseSql);
  return {
    integrationId: integration.integrationId,
    accountId: integration.accountId,
    externalId: integration.externalId,
    brokerRoleArn: settings.brokerRoleArn,
    roleName,
    trustPolicy: trust,
    permissionPolicy: permission ?? null,
    resources,
    policyHash: policyHash(permission),
    sizes,
    databases,
    cloudFormation: {
      template: customerRoleTemplate(values),
      quickCreate: quickCreateLink({ baseUrl: settings.templateBaseUrl, region: linked[0]?.region ?? 'us-east-1', stackName: stackNameFor(integration.integrationId), values }),
    },
    terraform: terraformSnippet({ integrationId: integration.integrationId, externalId: integration.externalId, brokerRoleArn: settings.brokerRoleArn, roleName, trust, permission }),
    sql: sqlScript(databases),
  };
}

export const allResources = (setup: Pick<Setup, 'resources'>): string[] => resourceList(setup.resources);
