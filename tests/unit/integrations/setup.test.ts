import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { IntegrationStatus, type Integration } from '#shared/integrations/integration';
import { buildSetup, roleNameFor, stackNameFor } from '#shared/integrations/setup';
import { customerRoleTemplate, hostedTemplateName } from '#shared/integrations/setup-cloudformation';
import { ROLE_INLINE_POLICIES_LIMIT, TRUST_POLICY_LIMIT, iamSize } from '#shared/iam/policy-size';
import { changesSince, type SetupTarget } from '#shared/iam/permission-policy';
import { SetupTooLargeError } from '#shared/integrations/errors';
import { renderTemplate, validateTemplate } from '../../support/cfn.ts';
import { readTerraform } from '../../support/terraform.ts';

const ACCOUNT = '111122223333';
const BROKER = 'arn:aws:iam::999988887777:role/latchkey-prod-broker';
const EXTERNAL_ID = 'lk-ext-abcdefghijklmnopqrstuvwxyz234567';
const integration: Integration = {
  tenantId: 'acme', integrationId: 'int_01JABCDEFGHJKMNPQRSTVWXYZ0', name: 'prod', accountId: ACCOUNT, externalId: EXTERNAL_ID,
  status: IntegrationStatus.pending, createdAt: '2030-01-01T00:00:00.000Z', createdBy: 'erin', version: 1,
};

let n = 0;
function target(overrides: Partial<SetupTarget>): SetupTarget {
  n += 1;
  return {
    targetId: `tgt_${String(n).padStart(10, '0')}`, name: `db${n}`, engine: 'postgres', aurora: false,
    endpoint: `db${n}.abcdefghijkl.eu-central-1.rds.amazonaws.com`, port: 5432, region: 'eu-central-1', accountId: ACCOUNT,
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1', databaseUsers: ['app_ro'], ...overrides,
  };
}

const cases: [string, SetupTarget[]][] = [
  ['PostgreSQL, one user', [target({})]],
  ['MySQL, several users', [target({ engine: 'mysql', port: 3306, resourceId: 'db-MYSQL000000000000000001', databaseUsers: ['reader', 'writer', 'etl'] })]],
  ['MariaDB behind a bastion', [target({ engine: 'mariadb', port: 3306, resourceId: 'db-MARIA0000000000000000001', databaseUsers: ['app'], bastionInstanceId: 'i-0123456789abcdef0' })]],
  ['Aurora PostgreSQL cluster, several users', [target({ aurora: true, endpoint: 'orders.cluster-abcdefghijkl.us-east-1.rds.amazonaws.com', region: 'us-east-1', resourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWX12', databaseUsers: ['a', 'b'] })]],
  ['Aurora MySQL cluster behind a bastion', [target({ engine: 'mysql', aurora: true, endpoint: 'c.cluster-abcdefghijkl.eu-west-1.rds.amazonaws.com', region: 'eu-west-1', resourceId: 'cluster-AURORAMYSQL0000000000001', bastionInstanceId: 'i-0fedcba9876543210' })]],
  [
    'three databases in two regions, two bastions',
    [
      target({ databaseUsers: ['app_ro', 'app_rw'] }),
      target({ engine: 'mysql', port: 3306, resourceId: 'db-SECOND00000000000000001', bastionInstanceId: 'i-00000000000000001' }),
      target({ region: 'us-west-2', endpoint: 'w.abcdefghijkl.us-west-2.rds.amazonaws.com', resourceId: 'db-THIRD000000000000000001', bastionInstanceId: 'i-00000000000000002' }),
    ],
  ],
];

const dbUserArns = (targets: SetupTarget[]) => targets.flatMap((t) => t.databaseUsers.map((u) => `arn:aws:rds-db:${t.region}:${t.accountId}:dbuser:${t.resourceId}/${u}`)).sort();

describe.each(cases)('setup for %s', (_name, targets) => {
  const setup = buildSetup(integration, targets, { brokerRoleArn: BROKER, templateBaseUrl: 'https://latchkey-setup.s3.eu-central-1.amazonaws.com/templates/' });
  const bastions = targets.filter((t) => t.bastionInstanceId);

  it('trusts exactly the broker role, for the three issuance actions, only with the external ID', () => {
    expect(JSON.parse(JSON.stringify(setup.trustPolicy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LatchkeyBroker',
          Effect: 'Allow',
          Principal: { AWS: BROKER },
          Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
          Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
        },
      ],
    });
  });

  it('allows rds-db:connect on exactly the registered dbuser ARNs, and SSM only on the bastions, their document and own sessions', () => {
    const statements = setup.permissionPolicy!.Statement;
    expect(statements.find((s) => s.Action === 'rds-db:connect')!.Resource).toEqual(dbUserArns(targets));
    const start = statements.find((s) => s.Action === 'ssm:StartSession');
    const end = statements.find((s) => s.Action === 'ssm:TerminateSession');
    if (bastions.length === 0) {
      expect(start).toBeUndefined();
      expect(end).toBeUndefined();
      return;
    }
    expect(start!.Resource).toEqual(
      [...new Set([...bastions.map((t) => `arn:aws:ec2:${t.region}:${ACCOUNT}:instance/${t.bastionInstanceId}`), ...bastions.map((t) => `arn:aws:ssm:${t.region}::document/AWS-StartPortForwardingSessionToRemoteHost`)])].sort(),
    );
    expect(end!.Resource).toEqual([...new Set(bastions.map((t) => `arn:aws:ssm:${t.region}:${ACCOUNT}:session/*`))].sort());
    expect(end!.Condition).toEqual({ StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } });
  });

  it('has no wildcard but the SSM session id, and no action beyond the three it needs', () => {
    const text = JSON.stringify(setup.permissionPolicy);
    const wildcards = [...text.matchAll(/"([^"]*\*[^"]*)"/g)].map((m) => m[1]);
    expect(wildcards.every((w) => /^arn:aws:ssm:[a-z0-9-]+:\d{12}:session\/\*$/.test(w!))).toBe(true);
    const actions = setup.permissionPolicy!.Statement.flatMap((s) => [s.Action].flat());
    expect(new Set(actions)).toEqual(new Set(bastions.length > 0 ? ['rds-db:connect', 'ssm:StartSession', 'ssm:TerminateSession'] : ['rds-db:connect']));
  });

  it('fits IAM limits, counted as IAM does (characters, no white space)', () => {
    expect(setup.sizes.trustPolicy).toEqual({ characters: iamSize(setup.trustPolicy), limit: TRUST_POLICY_LIMIT });
    expect(setup.sizes.trustPolicy.characters).toBeLessThan(TRUST_POLICY_LIMIT);
    expect(setup.sizes.permissionPolicy.characters).toBeLessThan(ROLE_INLINE_POLICIES_LIMIT);
  });

  it('emits a CloudFormation template that passes the structural check and creates exactly these policies', () => {
    const template = JSON.parse(JSON.stringify(setup.cloudFormation.template));
    expect(validateTemplate(template)).toEqual([]);
    // JSON is valid YAML: the same document either way.
    expect(parseYaml(JSON.stringify(template, null, 2))).toEqual(template);
    const role = renderTemplate(template).LatchkeyAccessRole!.Properties as Record<string, any>;
    expect(role.AssumeRolePolicyDocument).toEqual(setup.trustPolicy);
    expect(role.Policies).toEqual([{ PolicyName: 'latchkey-access', PolicyDocument: setup.permissionPolicy }]);
    expect(role).toMatchObject({ RoleName: roleNameFor(integration.integrationId), Path: '/latchkey/', MaxSessionDuration: 3600 });
  });

  it('links a quick-create stack whose parameters render the same policies from the hosted (default-less) template', () => {
    const quick = setup.cloudFormation.quickCreate;
    if (quick.url === null) throw new Error(quick.reason);
    const [base, fragment] = quick.url.split('#');
    expect(base).toBe(`https://console.aws.amazon.com/cloudformation/home?region=${targets[0]!.region}`);
    expect(fragment!.startsWith('/stacks/quickcreate?')).toBe(true);
    const params = new URLSearchParams(fragment!.slice('/stacks/quickcreate?'.length));
    expect(params.get('templateURL')).toBe(`https://latchkey-setup.s3.eu-central-1.amazonaws.com/templates/${hostedTemplateName()}`);
    expect(params.get('stackName')).toBe(stackNameFor(integration.integrationId));
    expect(params.get('stackName')).toMatch(/^[A-Za-z][A-Za-z0-9-]{0,127}$/);
    expect(params.get('param_ExternalId')).toBe(EXTERNAL_ID);
    const given = Object.fromEntries([...params].filter(([k]) => k.startsWith('param_')).map(([k, v]) => [k.slice(6), v]));
    const hosted = customerRoleTemplate();
    expect(validateTemplate(hosted)).toEqual([]);
    const role = renderTemplate(hosted, given).LatchkeyAccessRole!.Properties as Record<string, any>;
    expect(role.AssumeRolePolicyDocument).toEqual(setup.trustPolicy);
    expect(role.Policies).toEqual([{ PolicyName: 'latchkey-access', PolicyDocument: setup.permissionPolicy }]);
  });

  it('emits Terraform (aws_iam_role + aws_iam_role_policy) whose policies evaluate to the same documents', () => {
    const tf = readTerraform(setup.terraform);
    expect(tf.blocks).toEqual([
      'variable "latchkey_external_id"',
      'variable "latchkey_broker_role_arn"',
      'resource "aws_iam_role" "latchkey"',
      'resource "aws_iam_role_policy" "latchkey_access"',
      'output "latchkey_role_arn"',
    ]);
    expect(tf.variables).toEqual({ latchkey_external_id: EXTERNAL_ID, latchkey_broker_role_arn: BROKER });
    expect(tf.policies.assume_role_policy).toEqual(setup.trustPolicy);
    expect(tf.policies.policy).toEqual(setup.permissionPolicy);
    // IAM's own variable must reach IAM, not be read by Terraform as an interpolation.
    if (bastions.length > 0) expect(setup.terraform).toContain('"$${aws:userid}"');
    expect(setup.terraform).not.toMatch(/[^$]\$\{aws:/);
  });

  it('gives each database the engine-specific SQL and the modify command of its kind', () => {
    expect(setup.databases).toHaveLength(targets.length);
    for (const [i, t] of [...targets].sort((a, b) => (a.targetId < b.targetId ? -1 : 1)).entries()) {
      const db = setup.databases[i]!;
      const expected = t.databaseUsers.flatMap((u) =>
        t.engine === 'postgres'
          ? [`CREATE USER "${u}";`, `GRANT rds_iam TO "${u}";`]
          : [`CREATE USER '${u}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';`, `ALTER USER '${u}'@'%' REQUIRE SSL;`],
      );
      expect(db.statements).toEqual(expected);
      const identifier = t.endpoint.split('.')[0];
      expect(db.enableIamAuthentication).toBe(
        t.aurora
          ? `aws rds modify-db-cluster --db-cluster-identifier ${identifier} --enable-iam-database-authentication --apply-immediately --region ${t.region}`
          : `aws rds modify-db-instance --db-instance-identifier ${identifier} --enable-iam-database-authentication --apply-immediately --region ${t.region}`,
      );
      for (const line of expected) expect(setup.sql).toContain(line);
    }
  });
});

describe('setup edge cases', () => {
  it('has no permission policy (and no policy in either template) while the integration has no targets', () => {
    const setup = buildSetup(integration, [], { brokerRoleArn: BROKER });
    expect(setup.permissionPolicy).toBeNull();
    expect((renderTemplate(JSON.parse(JSON.stringify(setup.cloudFormation.template))).LatchkeyAccessRole!.Properties as Record<string, unknown>).Policies).toEqual([]);
    expect(readTerraform(setup.terraform).blocks).not.toContain('resource "aws_iam_role_policy" "latchkey_access"');
    expect(setup.cloudFormation.quickCreate).toEqual({ url: null, reason: expect.stringContaining('SETUP_TEMPLATE_BASE_URL') });
  });

  it('leaves out targets of another account, whatever they claim', () => {
    const setup = buildSetup(integration, [target({ accountId: '444455556666' })], { brokerRoleArn: BROKER });
    expect(setup.permissionPolicy).toBeNull();
  });

  it('refuses a permission policy larger than IAM allows a role, saying what to do', () => {
    const many = Array.from({ length: 3 }, (_, i) => target({ resourceId: `db-BIG${String(i).padStart(22, '0')}`, databaseUsers: Array.from({ length: 50 }, (_, u) => `user_${u}`) }));
    expect(() => buildSetup(integration, many, { brokerRoleArn: BROKER })).toThrow(SetupTooLargeError);
    expect(() => buildSetup(integration, many, { brokerRoleArn: BROKER })).toThrow(/another integration/);
  });

  it('hashes equal policies equally and reports added and removed resources', () => {
    const one = buildSetup(integration, [target({ targetId: 'tgt_0000000777', databaseUsers: ['a', 'b'] })], { brokerRoleArn: BROKER });
    const same = buildSetup(integration, [target({ targetId: 'tgt_0000000777', databaseUsers: ['b', 'a'] })], { brokerRoleArn: BROKER });
    expect(same.policyHash).toBe(one.policyHash);
    expect(changesSince(['x', 'y'], ['y', 'z'])).toEqual({ added: ['z'], removed: ['x'] });
    expect(changesSince(undefined, ['y'])).toEqual({ added: ['y'], removed: [] });
  });
});

describe('a target whose policy ends its sessions (directly, as the control user)', () => {
  const sessions = { policy: { sessions: { attribution: 'tagged', terminateVia: 'direct' } } } as const;
  const pg = target({ ...sessions });
  const maria = target({ ...sessions, engine: 'mariadb', port: 3306, resourceId: 'db-MARIA0000000000000000002' });
  const plain = target({ resourceId: 'db-PLAIN0000000000000000003' });
  const setup = buildSetup(integration, [pg, maria, plain], { brokerRoleArn: BROKER });
  const control = (t: SetupTarget) => `arn:aws:rds-db:${t.region}:${t.accountId}:dbuser:${t.resourceId}/latchkey_control`;

  it('grows the permission policy by exactly rds-db:connect as latchkey_control on those databases, in every form', () => {
    expect(setup.resources.dbUsers).toEqual([...dbUserArns([pg, maria, plain]), control(pg), control(maria)].sort());
    expect(JSON.stringify(setup.cloudFormation.template)).toContain(control(maria));
    expect(setup.terraform).toContain(control(pg));
    expect(JSON.stringify(setup)).not.toContain(control(plain));
  });

  it('creates the control user with the least privilege that ends sessions: pg_signal_backend; PROCESS, CONNECTION ADMIN, performance_schema', () => {
    const sql = (t: SetupTarget) => setup.databases.find((d) => d.targetId === t.targetId)!.statements;
    expect(sql(pg)).toEqual([
      'CREATE USER "app_ro";', 'GRANT rds_iam TO "app_ro";',
      'CREATE USER "latchkey_control";', 'GRANT rds_iam TO "latchkey_control";', 'GRANT pg_signal_backend TO "latchkey_control";',
    ]);
    expect(sql(maria).slice(2)).toEqual([
      "CREATE USER 'latchkey_control'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';",
      "ALTER USER 'latchkey_control'@'%' REQUIRE SSL;",
      "GRANT PROCESS, CONNECTION ADMIN ON *.* TO 'latchkey_control'@'%';",
      "GRANT SELECT ON performance_schema.* TO 'latchkey_control'@'%';",
    ]);
    expect(sql(plain).join('\n')).not.toContain('latchkey_control');
  });
});
