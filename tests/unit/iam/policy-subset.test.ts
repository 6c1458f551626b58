import { describe, expect, it } from 'vitest';
import { assertCoversGrants, impliedSessionPolicies, installedPermissionPolicy } from '#shared/iam/grant-coverage';
import { SetupWouldNotCoverGrantsError } from '#shared/iam/errors';
import { permissionPolicy, permissionResources, resourceList, resourcesFromList, type SetupTarget } from '#shared/iam/permission-policy';
import { isSubsetPolicy, patternCovers, policyExcess, type PolicyLike } from '#shared/iam/policy-subset';
import { sessionPolicyDocument, terminationPolicyDocument } from '#shared/iam/session-policy';

const REGION = 'eu-central-1';
const ACCOUNT = '111122223333';
const DB = 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1';
const BASTION = 'i-0123456789abcdef0';
const WINDOW_END = '2030-01-15T10:00:00.000Z';

const target: SetupTarget = {
  targetId: 'tgt_0000000001', name: 'orders', engine: 'postgres', aurora: false, endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432,
  region: REGION, accountId: ACCOUNT, resourceId: DB, databaseUsers: ['app_ro', 'app_rw'], bastionInstanceId: BASTION,
};
const installed = permissionPolicy(permissionResources([target]))!;
const grant = { region: REGION, accountId: ACCOUNT, resourceId: DB, databaseUser: 'app_ro', windowEnd: WINDOW_END };
const dbUser = (user: string, resourceId = DB) => `arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${resourceId}/${user}`;
const before = { DateLessThan: { 'aws:CurrentTime': '2030-01-15T10:00:00Z' } };
const session = (...Statement: PolicyLike['Statement']): PolicyLike => ({ Statement });

describe('policyExcess: the session policy must ask for nothing the permission policy does not allow', () => {
  it.each<[string, PolicyLike]>([
    ['the grant, without a tunnel', sessionPolicyDocument(grant)],
    ['the grant, with a tunnel through the bastion', sessionPolicyDocument({ ...grant, ssm: { instanceId: BASTION } })],
    ['the other registered user', sessionPolicyDocument({ ...grant, databaseUser: 'app_rw' })],
    ['ending the grant’s sessions', terminationPolicyDocument({ region: REGION, accountId: ACCOUNT, until: WINDOW_END })],
    ['an action spelled in another case (IAM actions ignore case)', session({ Effect: 'Allow', Action: 'RDS-DB:Connect', Resource: dbUser('app_ro') })],
    ['no condition where the permission has none', session({ Effect: 'Allow', Action: 'rds-db:connect', Resource: [dbUser('app_ro')] })],
    ['a Deny statement (it only narrows)', session({ Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUser('app_ro') }, { Effect: 'Deny', Action: '*', Resource: '*' })],
  ])('covers %s', (_, policy) => {
    expect(policyExcess(policy, installed)).toEqual([]);
    expect(isSubsetPolicy(policy, installed)).toBe(true);
  });

  const connect = (Resource: string | string[], Condition: Record<string, Record<string, string>> = before) => ({ Effect: 'Allow', Action: 'rds-db:connect', Resource, Condition });
  const terminate = (Condition: Record<string, Record<string, string>>) => ({ Effect: 'Allow', Action: 'ssm:TerminateSession', Resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:session/*`, Condition });

  it.each<[string, PolicyLike, { action: string; resource: string; why: string }[]]>([
    ['an extra action on the same dbuser', session({ ...connect(dbUser('app_ro')), Action: ['rds-db:connect', 'rds:DeleteDBInstance'] }),
      [{ action: 'rds:DeleteDBInstance', resource: dbUser('app_ro'), why: 'not_allowed' }]],
    ['another database user', session(connect(dbUser('admin'))), [{ action: 'rds-db:connect', resource: dbUser('admin'), why: 'not_allowed' }]],
    ['the same user on another instance', session(connect(dbUser('app_ro', 'db-OTHER00000000000000000001'))),
      [{ action: 'rds-db:connect', resource: dbUser('app_ro', 'db-OTHER00000000000000000001'), why: 'not_allowed' }]],
    ['another bastion instance', sessionPolicyDocument({ ...grant, ssm: { instanceId: 'i-0fedcba9876543210' } }),
      [{ action: 'ssm:StartSession', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0fedcba9876543210`, why: 'not_allowed' }]],
    ['another region', sessionPolicyDocument({ ...grant, region: 'us-east-1' }),
      [{ action: 'rds-db:connect', resource: `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${DB}/app_ro`, why: 'not_allowed' }]],
    ['a wildcard user', session(connect(dbUser('*'))), [{ action: 'rds-db:connect', resource: dbUser('*'), why: 'not_allowed' }]],
    ['a one-character wildcard user', session(connect(dbUser('app_r?'))), [{ action: 'rds-db:connect', resource: dbUser('app_r?'), why: 'not_allowed' }]],
    ['a wildcard resource', session(connect('*')), [{ action: 'rds-db:connect', resource: '*', why: 'not_allowed' }]],
    ['a wildcard action', session({ ...connect(dbUser('app_ro')), Action: 'rds-db:*' }), [{ action: 'rds-db:*', resource: dbUser('app_ro'), why: 'not_allowed' }]],
    ['no Resource at all (every resource)', session({ Effect: 'Allow', Action: 'rds-db:connect' }), [{ action: 'rds-db:connect', resource: '*', why: 'not_allowed' }]],
    ['no Action at all (NotAction)', session({ Effect: 'Allow', Resource: dbUser('app_ro') }), [{ action: '*', resource: dbUser('app_ro'), why: 'not_allowed' }]],
    ['TerminateSession without the own-sessions condition', session(terminate(before)),
      [{ action: 'ssm:TerminateSession', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:session/*`, why: 'condition_wider' }]],
    ['TerminateSession with a wider own-sessions condition', session(terminate({ StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '*' } })),
      [{ action: 'ssm:TerminateSession', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:session/*`, why: 'condition_wider' }]],
  ])('refuses %s', (_, policy, excess) => {
    expect(policyExcess(policy, installed)).toEqual(excess);
    expect(isSubsetPolicy(policy, installed)).toBe(false);
  });

  it('covers nothing when no permission policy is installed', () => {
    expect(policyExcess(sessionPolicyDocument(grant), undefined)).toEqual([{ action: 'rds-db:connect', resource: dbUser('app_ro'), why: 'not_allowed' }]);
  });

  it('lets a negated condition narrow only by naming more values, never fewer', () => {
    const permission: PolicyLike = { Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpc': ['vpc-1', 'vpc-2'] } } }] };
    const withValues = (values: string[]) => session({ Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUser('app_ro'), Condition: { StringNotEquals: { 'aws:SourceVpc': values } } });
    expect(isSubsetPolicy(withValues(['vpc-1', 'vpc-2', 'vpc-3']), permission)).toBe(true);
    expect(isSubsetPolicy(withValues(['vpc-1']), permission)).toBe(false);
  });
});

describe('patternCovers', () => {
  it.each([
    ['arn:aws:ssm:*:1:session/*', 'arn:aws:ssm:eu-central-1:1:session/*', true],
    ['a*', 'a*b', true],
    ['a?', 'ab', true],
    ['a?', 'a*', false],
    ['a*b', 'a*', false],
    ['ab', 'a*', false],
    ['a.b', 'axb', false],
  ])('%s covers %s: %s', (pattern, value, expected) => {
    expect(patternCovers(pattern, value)).toBe(expected);
  });
});

describe('the setup covers the grants it implies', () => {
  const targets: SetupTarget[] = [target, { ...target, targetId: 'tgt_0000000002', resourceId: 'db-SECOND00000000000000001', databaseUsers: ['etl'], bastionInstanceId: undefined }];

  it('implies a session policy per database user, and one with a tunnel where there is a bastion', () => {
    expect(impliedSessionPolicies(targets).map((p) => p.Statement.map((s) => s.Action).join('+'))).toEqual([
      'rds-db:connect', 'rds-db:connect+ssm:StartSession+ssm:TerminateSession',
      'rds-db:connect', 'rds-db:connect+ssm:StartSession+ssm:TerminateSession',
      'rds-db:connect',
    ]);
  });

  it('accepts the permission policy built from the same targets, and refuses one that lacks a target', () => {
    expect(() => assertCoversGrants(permissionPolicy(permissionResources(targets)), targets)).not.toThrow();
    expect(() => assertCoversGrants(permissionPolicy(permissionResources([target])), targets)).toThrow(SetupWouldNotCoverGrantsError);
  });

  it('rebuilds the installed permission policy from a setup baseline’s resource list', () => {
    const resources = permissionResources(targets);
    expect(resourcesFromList(resourceList(resources))).toEqual(resources);
    expect(installedPermissionPolicy(resourceList(resources))).toEqual(permissionPolicy(resources));
    expect(resourcesFromList(['arn:aws:s3:::bucket/key', ...resourceList(resources)])).toEqual(resources);
  });
});
