import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  paginateListTables,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';
import { repoRoot } from './paths.ts';

// Creates the tables of infra/tables.yml (the CloudFormation that serverless.yml
// deploys) in DynamoDB Local, so key schema and indexes are written once.

export type TableNames = Record<string, string> & { main: string; log: string };

export interface TableSpec {
  input: CreateTableCommandInput;
  ttlAttribute?: string;
}

// CreateTable parameters copied as they are: CloudFormation and the API agree on their shape.
const PASSED_THROUGH = ['AttributeDefinitions', 'KeySchema', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput'];
// Deployment concerns (backups, encryption, protection, tagging) that DynamoDB Local has no use for.
const CFN_ONLY = [
  'DeletionProtectionEnabled',
  'PointInTimeRecoverySpecification',
  'SSESpecification',
  'Tags',
  'ContributorInsightsSpecification',
  'TableClass',
  'KinesisStreamSpecification',
  'ResourcePolicy',
  'WarmThroughput',
  'OnDemandThroughput',
];

export function readTableSpecs(names: TableNames, path = join(repoRoot, 'infra/tables.yml')): TableSpec[] {
  const resources = parse(readFileSync(path, 'utf8')) as Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
  const specs: TableSpec[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const props = resource.Properties ?? {};
    const input: Record<string, unknown> = { TableName: tableName(String(props.TableName), names, logicalId) };
    let ttlAttribute: string | undefined;
    for (const [key, value] of Object.entries(props)) {
      if (key === 'TableName' || CFN_ONLY.includes(key)) continue;
      if (PASSED_THROUGH.includes(key)) input[key] = value;
      else if (key === 'StreamSpecification') input[key] = { StreamEnabled: true, ...(value as object) };
      else if (key === 'TimeToLiveSpecification') {
        const ttl = value as { AttributeName?: string; Enabled?: boolean };
        if (ttl.Enabled !== false) ttlAttribute = ttl.AttributeName;
      } else {
        // Fail loudly: a new property in tables.yml must be mapped or ignored on purpose.
        throw new Error(`infra/tables.yml: ${logicalId}.${key} is not mapped for DynamoDB Local (see dev/dynamodb-tables.ts)`);
      }
    }
    specs.push({ input: input as unknown as CreateTableCommandInput, ...(ttlAttribute ? { ttlAttribute } : {}) });
  }
  return specs;
}

function tableName(raw: string, names: TableNames, logicalId: string): string {
  const variable = /^\$\{self:custom\.tables\.([A-Za-z0-9_]+)\}$/.exec(raw);
  const name = variable ? names[variable[1] ?? ''] : undefined;
  if (!name) throw new Error(`infra/tables.yml: ${logicalId}.TableName ${raw} does not name a table the local stack knows`);
  return name;
}

/** Creates the missing tables; existing ones are kept (persistent data survives restarts). */
export async function ensureTables(client: DynamoDBClient, specs: TableSpec[]): Promise<{ created: string[]; kept: string[] }> {
  const existing = new Set<string>();
  for await (const page of paginateListTables({ client }, {})) for (const name of page.TableNames ?? []) existing.add(name);
  const created: string[] = [];
  const kept: string[] = [];
  for (const spec of specs) {
    const name = spec.input.TableName ?? '';
    if (existing.has(name)) {
      kept.push(name);
      await warnOnDrift(client, spec);
      continue;
    }
    await client.send(new CreateTableCommand(spec.input));
    if (spec.ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }));
    }
    created.push(name);
  }
  return { created, kept };
}

// A table kept from an older run may predate an index added to tables.yml, or
// one whose keys or projection changed; say so instead of letting a Query fail
// with a puzzling "index not found" or come back empty.
type IndexShape = { IndexName?: string; KeySchema?: { AttributeName?: string; KeyType?: string }[]; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } };
const shapeOf = (i: IndexShape) =>
  `${i.IndexName}(${(i.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(' ')}; ${i.Projection?.ProjectionType ?? 'ALL'} ${[...(i.Projection?.NonKeyAttributes ?? [])].sort().join(' ')})`;

async function warnOnDrift(client: DynamoDBClient, spec: TableSpec): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: spec.input.TableName }));
  const want = (spec.input.GlobalSecondaryIndexes ?? []).map(shapeOf).sort().join(', ');
  const have = (Table?.GlobalSecondaryIndexes ?? []).map(shapeOf).sort().join(', ');
  if (want !== have) {
    console.error(`dynamodb-local: table ${spec.input.TableName} has indexes [${have}] but infra/tables.yml declares [${want}]; restart with --reset to recreate it`);
  }
}
