import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createStsClient } from '#shared/adapters/aws/sts-role-assumer';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { DynamoTargetStore } from '#shared/adapters/dynamodb/target-store';
import { TenantData } from '#shared/adapters/dynamodb/tenant-data';
import { keySchemasOf, startDynamoFront, type DynamoFront } from '#dev/aws-standin/dynamodb-front';
import { startAwsStandin, type AwsStandin } from '#dev/aws-standin/server';
import { StandinState } from '#dev/aws-standin/state';
import { readTableSpecs } from '#dev/dynamodb-tables';
import { localIamDocuments } from '#dev/iam-documents';

// The local stack's arrangement, in the test process: the STS stand-in, the
// DynamoDB front before the global setup's DynamoDB Local, infra/iam.yml's
// documents installed, and the functions' session (with the function roles'
// grants) that the real TenantData adapter assumes the tenant-data role from.

export const ACCOUNT = '000000000000';
const FUNCTION_ROLE = 'arn:aws:iam::000000000000:role/latchkey-test-lambdaRole';

export interface IsolatedDynamo {
  standin: AwsStandin;
  front: DynamoFront;
  /** The functions' own credentials (no tenant tag). */
  own: DynamoDBDocumentClient;
  tenantData: TenantData;
  tables: { main: string; log: string };
  requests: DynamoRequestStore;
  targets: DynamoTargetStore;
  /** What shared/wiring reads to sign as the functions and assume the tenant-data role through this front. */
  functionEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startIsolatedDynamo(): Promise<IsolatedDynamo> {
  const region = inject('region');
  const tables = { main: inject('mainTable'), log: inject('logTable') };
  const documents = localIamDocuments({ service: 'latchkey', stage: 'local', region, account: ACCOUNT, tables, functionRoleArn: FUNCTION_ROLE });
  const state = new StandinState();
  state.addRole(documents.tenantDataRole);
  const credentials = { accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64'), sessionToken: randomBytes(48).toString('base64') };
  state.addPrincipalCredentials({ arn: 'arn:aws:sts::000000000000:assumed-role/latchkey-test-lambdaRole/fn', ...credentials, permissionPolicies: documents.functionPolicies });
  const standin = await startAwsStandin({ state });
  const front = await startDynamoFront({ state, upstream: inject('dynamodbEndpoint'), tables: keySchemasOf(readTableSpecs(tables).map((s) => s.input)), account: ACCOUNT });
  const own = DynamoDBDocumentClient.from(new DynamoDBClient({ region, endpoint: front.url, credentials, maxAttempts: 1 }), { marshallOptions: { removeUndefinedValues: true } });
  const tenantData = new TenantData(own, { roleArn: documents.tenantDataRole.arn, sts: createStsClient({ AWS_REGION: region, STS_ENDPOINT: standin.url }, credentials), region, endpoint: front.url });
  const log = new LogWriter(tenantData.client, tables);
  return {
    standin,
    front,
    own,
    tenantData,
    tables,
    requests: new DynamoRequestStore(tenantData.client, tables, log),
    targets: new DynamoTargetStore(tenantData.client, tables, log),
    functionEnv: {
      DYNAMODB_ENDPOINT: front.url,
      STS_ENDPOINT: standin.url,
      TENANT_DATA_ROLE_ARN: documents.tenantDataRole.arn,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    },
    close: async () => {
      own.destroy();
      await front.close();
      await standin.close();
    },
  };
}
