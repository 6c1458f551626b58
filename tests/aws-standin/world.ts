import { STSClient } from '@aws-sdk/client-sts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { startAwsStandin, type AwsStandin } from '#dev/aws-standin/server';
import { StandinState } from '#dev/aws-standin/state';
import type { PolicyDocument } from '#dev/aws-standin/policy-schema';

// A small simulated world shared by the stand-in tests: Latchkey's broker
// (a Lambda role session in its own account) and a customer account whose
// role trusts it with an external ID, as the integration templates install.

export const REGION = 'eu-central-1';
export const BROKER_ACCOUNT = '111111111111';
export const CUSTOMER_ACCOUNT = '222222222222';
export const EXTERNAL_ID = 'lk-ext-3f9a1c2e7b5d4e6f8a0b1c2d3e4f5a6b';
export const BROKER_ROLE_ARN = `arn:aws:iam::${BROKER_ACCOUNT}:role/latchkey-issuer`;
export const CUSTOMER_ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/LatchkeyAccess`;
export const INSTANCE_ID = 'i-0123456789abcdef0';
export const OTHER_INSTANCE_ID = 'i-0fedcba9876543210';
export const PORT_FORWARD_DOC = 'AWS-StartPortForwardingSessionToRemoteHost';
export const DB = { hostname: 'orders.cluster-abc.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'cluster-ABCDEFGHIJKL0123456789' };
export const dbUserArn = (user: string): string => `arn:aws:rds-db:${REGION}:${CUSTOMER_ACCOUNT}:dbuser:${DB.resourceId}/${user}`;
export const instanceArn = (id: string): string => `arn:aws:ec2:${REGION}:${CUSTOMER_ACCOUNT}:instance/${id}`;
export const documentArn = (name: string): string => `arn:aws:ssm:${REGION}::document/${name}`;

/** The broker's Lambda session: a role session, so AssumeRole from it is role chaining. */
export const BROKER_CREDENTIALS = {
  accessKeyId: 'ASIABROKERLAMBDA0001',
  secretAccessKey: 'broker/secret+key/for/the/lambda/session',
  sessionToken: 'IQoJb3JpZ2luX2VjEBrokerLambdaSessionToken+/==',
};

export const customerTrustPolicy = (actions: string[] = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow',
    Principal: { AWS: BROKER_ROLE_ARN },
    Action: actions,
    Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
  }],
});

export const customerPermissions: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'rds-db:connect', Resource: [dbUserArn('app_reader'), dbUserArn('app_writer')] },
    { Effect: 'Allow', Action: 'ssm:StartSession', Resource: [instanceArn(INSTANCE_ID), instanceArn(OTHER_INSTANCE_ID), documentArn(PORT_FORWARD_DOC)] },
    {
      Effect: 'Allow',
      Action: 'ssm:TerminateSession',
      Resource: `arn:aws:ssm:*:${CUSTOMER_ACCOUNT}:session/*`,
      Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
    },
  ],
};

/** Latchkey's narrowing session policy: one dbuser, one instance and document, until `until`. */
export function sessionPolicy(until: Date, dbUser = 'app_reader'): PolicyDocument {
  const before = { DateLessThan: { 'aws:CurrentTime': until.toISOString().replace(/\.\d{3}Z$/, 'Z') } };
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUserArn(dbUser), Condition: before },
      { Effect: 'Allow', Action: 'ssm:StartSession', Resource: [instanceArn(INSTANCE_ID), documentArn(PORT_FORWARD_DOC)], Condition: before },
      { Effect: 'Allow', Action: 'ssm:TerminateSession', Resource: '*' },
    ],
  };
}

export interface World {
  standin: AwsStandin;
  state: StandinState;
  /** Moves the stand-in's clock; the SDK re-syncs from the Date header when skew exceeds 5 minutes. */
  advance(seconds: number): void;
  sts(credentials?: Credentials): STSClient;
  ssm(credentials: Credentials): SSMClient;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function startWorld(): Promise<World> {
  let offsetMs = 0;
  const state = new StandinState();
  state.addRole({ arn: BROKER_ROLE_ARN, trustPolicy: { Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' } }, permissionPolicies: [{ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' } }, { Statement: { Effect: 'Allow', Action: ['sts:TagSession', 'sts:SetSourceIdentity'], Resource: '*' } }] });
  state.addPrincipalCredentials({ arn: `arn:aws:sts::${BROKER_ACCOUNT}:assumed-role/latchkey-issuer/latchkey-mint`, ...BROKER_CREDENTIALS });
  state.addRole({ arn: CUSTOMER_ROLE_ARN, trustPolicy: customerTrustPolicy(), permissionPolicies: [customerPermissions] });
  state.addInstance({ instanceId: INSTANCE_ID, account: CUSTOMER_ACCOUNT, region: REGION });
  state.addInstance({ instanceId: OTHER_INSTANCE_ID, account: CUSTOMER_ACCOUNT, region: REGION });
  state.addDatabase({ ...DB, region: REGION, account: CUSTOMER_ACCOUNT });
  const standin = await startAwsStandin({ state, clock: () => new Date(Date.now() + offsetMs) });
  const config = (credentials: Credentials) => ({ endpoint: standin.url, region: REGION, credentials, maxAttempts: 3 });
  return {
    standin,
    state,
    advance: (seconds) => void (offsetMs += seconds * 1000),
    sts: (credentials = BROKER_CREDENTIALS) => new STSClient(config(credentials)),
    ssm: (credentials) => new SSMClient(config(credentials)),
  };
}
