import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStsClient } from '#shared/adapters/aws/sts-role-assumer';
import { LogWriter } from '#shared/adapters/dynamodb/log-writer';
import { DynamoRequestStore } from '#shared/adapters/dynamodb/request-store';
import { TenantData } from '#shared/adapters/dynamodb/tenant-data';
import * as transitions from '#shared/requests/transitions';
import { keySchemasOf, startDynamoFront } from '#dev/aws-standin/dynamodb-front';
import { startAwsStandin } from '#dev/aws-standin/server';
import { StandinState } from '#dev/aws-standin/state';
import { localClient, startDynamoDbLocal } from '#dev/dynamodb-local';
import { ensureTables, readTableSpecs } from '#dev/dynamodb-tables';
import { localIamDocuments } from '#dev/iam-documents';
import { target, user } from '../tests/support/builders.ts';
import { summary, table } from './stats.ts';

// What tenant isolation by IAM costs a request, paired in one run on one DynamoDB
// Local: the same store read (a request and its chain head, one BatchGetItem)
//   today     — signed with the function's own credentials, straight to DynamoDB Local;
//   tenant    — through TenantData with the tenant's session cached (what AWS adds per call);
//   front     — the same through the local DynamoDB front (SigV4 + IAM check: the local stack only);
// rounds interleave the three so drift hits each alike. Then the first call of a
// tenant in a container: AssumeRole against the STS stand-in, then the read.

const ACCOUNT = '000000000000';
const region = 'eu-central-1';

export async function main(n = Number(process.env.BENCH_TENANT_DATA_CALLS ?? 600), tenants = Number(process.env.BENCH_TENANT_DATA_TENANTS ?? 60)): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  const tables = { main: 'bench-main', log: 'bench-log' };
  const specs = readTableSpecs(tables);
  const admin = localClient(dynamodb.port);
  await ensureTables(admin, specs);
  admin.destroy();
  const documents = localIamDocuments({ service: 'latchkey', stage: 'bench', region, account: ACCOUNT, tables, functionRoleArn: `arn:aws:iam::${ACCOUNT}:role/bench-fn` });
  const state = new StandinState();
  state.addRole(documents.tenantDataRole);
  const credentials = { accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64'), sessionToken: randomBytes(48).toString('base64') };
  state.addPrincipalCredentials({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/bench-fn/fn`, ...credentials, permissionPolicies: documents.functionPolicies });
  const standin = await startAwsStandin({ state });
  const front = await startDynamoFront({ state, upstream: dynamodb.endpoint, tables: keySchemasOf(specs.map((s) => s.input)), account: ACCOUNT });
  const documentClient = (endpoint: string) => DynamoDBDocumentClient.from(new DynamoDBClient({ region, endpoint, credentials }), { marshallOptions: { removeUndefinedValues: true } });
  const sts = createStsClient({ AWS_REGION: region, STS_ENDPOINT: standin.url }, credentials);
  const direct = documentClient(dynamodb.endpoint);
  const viaFront = documentClient(front.url);
  const tenantDirect = new TenantData(direct, { roleArn: documents.tenantDataRole.arn, sts, region, endpoint: dynamodb.endpoint, maxTenants: tenants + 1 });
  const tenantFront = new TenantData(viaFront, { roleArn: documents.tenantDataRole.arn, sts, region, endpoint: front.url });
  const storeOf = (db: DynamoDBDocumentClient) => new DynamoRequestStore(db, tables, new LogWriter(db, tables));
  try {
    const tenant = 'bench-tenant';
    const change = transitions.createRequest({
      tenantId: tenant, requestId: 'req_01JBENCHTENANTDATA0001', target: target(tenant, 'tgt_01JBENCHTARGET0001'), databaseUser: 'app_ro',
      requester: user(tenant, 'alice', ['requester']), durationMinutes: 60, reason: 'bench', now: new Date(),
    });
    await storeOf(direct).create(change);
    const paths: [string, () => Promise<unknown>][] = [
      ['today (own role, direct)', () => storeOf(direct).get(tenant, change.next.requestId)],
      ['tenant session, direct', () => tenantDirect.run(tenant, () => storeOf(tenantDirect.client).get(tenant, change.next.requestId))],
      ['tenant session, via front', () => tenantFront.run(tenant, () => storeOf(tenantFront.client).get(tenant, change.next.requestId))],
    ];
    const samples = new Map(paths.map(([name]) => [name, [] as number[]]));
    for (let i = 0; i < 100; i++) for (const [, call] of paths) await call(); // warm up, sessions cached
    for (let i = 0; i < n; i++) {
      for (const [name, call] of paths) {
        const t = performance.now();
        await call();
        samples.get(name)!.push(performance.now() - t);
      }
    }
    const first: number[] = [];
    for (let i = 0; i < tenants; i++) {
      const fresh = `bench-new-${i}`;
      const t = performance.now();
      await tenantDirect.run(fresh, () => storeOf(tenantDirect.client).get(fresh, change.next.requestId));
      first.push(performance.now() - t);
    }
    const base = summary(samples.get(paths[0]![0])!);
    const rows: (string | number)[][] = [['path', 'n', 'p50 ms', 'p99 ms', 'mean ms', 'p50 / today']];
    for (const [name] of paths) {
      const s = summary(samples.get(name)!);
      rows.push([name, String(s.n), s.p50, s.p99, s.mean, `${(s.p50 / base.p50).toFixed(2)}x`]);
    }
    const f = summary(first);
    rows.push(['first call of a tenant (AssumeRole + read)', String(f.n), f.p50, f.p99, f.mean, `${(f.p50 / base.p50).toFixed(2)}x`]);
    console.log(`tenant-data: one store read (BatchGetItem), ${n} paired rounds; ${tenants} first calls\n${table(rows)}`);
  } finally {
    direct.destroy();
    viaFront.destroy();
    await front.close();
    await standin.close();
    await dynamodb.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
