import { createHash } from 'node:crypto';
import { canonicalJson } from '../kernel/canonical-json.ts';
import { TRUST_ACTIONS, connectStatement, startSessionStatement, terminateOwnSessionsStatement, type PermissionResources } from '../iam/index.ts';

// One CloudFormation template for every customer, the way ClickPipes and
// Datadog ship theirs: everything integration-specific is a Parameter, so the
// operator hosts ONE file per template version (SETUP_TEMPLATE_BASE_URL) and a
// quick-create link fills the parameters in. The download for one integration
// is the same template with that integration's values as Defaults, which
// `aws cloudformation deploy` takes as-is. JSON, not YAML: long-form intrinsics
// need no custom tags, and it is valid YAML too.

export const ROLE_PATH = '/latchkey/';
export const POLICY_NAME = 'latchkey-access';

export type TemplateValues = {
  externalId: string;
  brokerRoleArn: string;
  roleName: string;
  resources: PermissionResources;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type CfnTemplate = { [key: string]: Json };

const ref = (name: string) => ({ Ref: name });
const noValue = ref('AWS::NoValue');
const nonEmpty = (list: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', ref(list)] }, ''] }] });
const ifThen = (condition: string, value: Json): Json => ({ 'Fn::If': [condition, value, noValue] });
/** Our statements, with a Ref in place of the resource list. */
const withResources = (statement: object, list: string): Json => ({ ...(JSON.parse(JSON.stringify(statement)) as Record<string, Json>), Resource: ref(list) });

/** The template; with `values` its parameters default to one integration's values. */
export function customerRoleTemplate(values?: TemplateValues): CfnTemplate {
  const d = (value: string | undefined): Record<string, Json> => (values && value !== undefined ? { Default: value } : {});
  const list = (items: string[] | undefined) => (items === undefined ? undefined : items.join(','));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Latchkey customer role: lets the Latchkey broker mint short-lived RDS IAM tokens and SSM port-forwarding sessions for approved grants only.',
    Parameters: {
      ExternalId: {
        Type: 'String',
        Description: 'The external ID Latchkey generated for this integration (shown in its setup). Do not change it.',
        MinLength: 2,
        MaxLength: 1224,
        AllowedPattern: '[\\w+=,.@:/-]+',
        ...d(values?.externalId),
      },
      BrokerRoleArn: {
        Type: 'String',
        Description: "Latchkey's broker role, the only principal the role trusts.",
        AllowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
        ...d(values?.brokerRoleArn),
      },
      RoleName: {
        Type: 'String',
        Description: 'Name of the role to create (hand its ARN back to Latchkey).',
        AllowedPattern: '[\\w+=,.@-]{1,64}',
        Default: values?.roleName ?? 'LatchkeyAccess',
      },
      DbUserArns: {
        Type: 'CommaDelimitedList',
        Description: 'rds-db:connect resources, one per registered database user: arn:aws:rds-db:REGION:ACCOUNT:dbuser:RESOURCE_ID/DB_USER',
        Default: list(values?.resources.dbUsers) ?? '',
      },
      BastionResources: {
        Type: 'CommaDelimitedList',
        Description: 'ssm:StartSession resources: the bastion instance ARNs and the AWS-StartPortForwardingSessionToRemoteHost document ARN of their regions. Empty without bastions.',
        Default: list(values?.resources.startSession) ?? '',
      },
      SessionResources: {
        Type: 'CommaDelimitedList',
        Description: 'ssm:TerminateSession resources (arn:aws:ssm:REGION:ACCOUNT:session/*), narrowed to the sessions Latchkey itself started. Empty without bastions.',
        Default: list(values?.resources.sessions) ?? '',
      },
    },
    Conditions: {
      HasDbUsers: nonEmpty('DbUserArns'),
      HasBastions: nonEmpty('BastionResources'),
      HasPermissions: { 'Fn::Or': [{ Condition: 'HasDbUsers' }, { Condition: 'HasBastions' }] },
    },
    Resources: {
      LatchkeyAccessRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: ref('RoleName'),
          Path: ROLE_PATH,
          Description: 'Assumed by Latchkey (with the external ID) to mint temporary database credentials for approved grants.',
          // Latchkey chains from its Lambda role, which caps sessions at one hour anyway.
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'LatchkeyBroker',
                Effect: 'Allow',
                Principal: { AWS: ref('BrokerRoleArn') },
                Action: [...TRUST_ACTIONS],
                Condition: { StringEquals: { 'sts:ExternalId': ref('ExternalId') } },
              },
            ],
          },
          Policies: [
            ifThen('HasPermissions', {
              PolicyName: POLICY_NAME,
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  ifThen('HasDbUsers', withResources(connectStatement([]), 'DbUserArns')),
                  ifThen('HasBastions', withResources(startSessionStatement([]), 'BastionResources')),
                  ifThen('HasBastions', withResources(terminateOwnSessionsStatement([]), 'SessionResources')),
                ],
              },
            }),
          ],
        },
      },
    },
    Outputs: {
      RoleArn: {
        Description: 'Hand this ARN back to Latchkey (PUT /integrations/{id}/role), then verify.',
        Value: { 'Fn::GetAtt': ['LatchkeyAccessRole', 'Arn'] },
      },
    },
  };
}

/** The hosted file's name carries its content hash: a template change is a new file, and old links keep working. */
export function hostedTemplateName(): string {
  const hash = createHash('sha256').update(canonicalJson(customerRoleTemplate())).digest('hex').slice(0, 12);
  return `latchkey-customer-role-${hash}.json`;
}

/** CloudFormation limits: a parameter value ≤ 4,096 bytes; templateURL ≤ 1,024 characters and on Amazon S3. */
export const PARAMETER_VALUE_LIMIT = 4096;
export const TEMPLATE_URL_LIMIT = 1024;

export type QuickCreate = { url: string; templateUrl: string; stackName: string } | { url: null; reason: string };

export function quickCreateLink(input: { baseUrl: string | undefined; region: string; stackName: string; values: TemplateValues }): QuickCreate {
  if (!input.baseUrl) {
    return { url: null, reason: 'SETUP_TEMPLATE_BASE_URL is not configured, so there is no hosted template to link to; upload the CloudFormation template instead.' };
  }
  const templateUrl = `${input.baseUrl.replace(/\/+$/, '')}/${hostedTemplateName()}`;
  if (templateUrl.length > TEMPLATE_URL_LIMIT) return { url: null, reason: `The template URL is longer than CloudFormation's ${TEMPLATE_URL_LIMIT} characters.` };
  const { values } = input;
  const params: [string, string][] = [
    ['ExternalId', values.externalId],
    ['BrokerRoleArn', values.brokerRoleArn],
    ['RoleName', values.roleName],
    ['DbUserArns', values.resources.dbUsers.join(',')],
    ['BastionResources', values.resources.startSession.join(',')],
    ['SessionResources', values.resources.sessions.join(',')],
  ];
  const tooLong = params.find(([, v]) => Buffer.byteLength(v) > PARAMETER_VALUE_LIMIT);
  if (tooLong) return { url: null, reason: `${tooLong[0]} is longer than a CloudFormation parameter may be (${PARAMETER_VALUE_LIMIT} bytes); upload the CloudFormation template instead.` };
  const query = [`templateURL=${encodeURIComponent(templateUrl)}`, `stackName=${encodeURIComponent(input.stackName)}`, ...params.filter(([, v]) => v !== '').map(([k, v]) => `param_${k}=${encodeURIComponent(v)}`)];
  return {
    url: `https://console.aws.amazon.com/cloudformation/home?region=${encodeURIComponent(input.region)}#/stacks/quickcreate?${query.join('&')}`,
    templateUrl,
    stackName: input.stackName,
  };
}
