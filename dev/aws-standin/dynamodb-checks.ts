import { AwsError } from './aws-error.ts';

// What IAM authorizes for one DynamoDB call (JSON 1.0, `X-Amz-Target:
// DynamoDB_20120810.<Operation>`): each action on each resource, with the
// partition key values the call touches there (`dynamodb:LeadingKeys`). As in
// IAM, a transaction is judged item by item (a Put as dynamodb:PutItem, a
// ConditionCheck as dynamodb:ConditionCheckItem …) and a batch once per table
// with all of that table's keys. A call the front cannot read its keys from
// (PartiQL, a key condition it cannot parse) is refused, never let through.

export interface KeySchema {
  /** The partition key attribute of the table. */
  hashKey: string;
  /** The partition key attribute of each index. */
  indexes: Record<string, string>;
}

export interface Check {
  action: string;
  table: string;
  index?: string;
  /** Undefined: the call names no partition (a Scan); IAM then has no LeadingKeys value. */
  leadingKeys?: string[];
}

type AttributeValue = Record<string, unknown>;
type Body = Record<string, unknown>;

const cannotJudge = (why: string): AwsError =>
  new AwsError('AccessDeniedException', `The local DynamoDB front cannot judge this call (${why}), so it refuses it.`, 400);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function tableSchema(schemas: ReadonlyMap<string, KeySchema>, table: unknown): KeySchema & { name: string } {
  if (typeof table !== 'string') throw cannotJudge('no TableName');
  const schema = schemas.get(table);
  if (!schema) throw cannotJudge(`unknown table ${table}`);
  return { ...schema, name: table };
}

function partitionValue(item: unknown, attribute: string): string {
  const value = isObject(item) ? item[attribute] : undefined;
  if (!isObject(value) || typeof value.S !== 'string') throw cannotJudge(`no string partition key ${attribute}`);
  return value.S;
}

function itemCheck(schemas: ReadonlyMap<string, KeySchema>, action: string, body: unknown, keyField: 'Key' | 'Item'): Check {
  if (!isObject(body)) throw cannotJudge(`no ${action} parameters`);
  const table = tableSchema(schemas, body.TableName);
  return { action, table: table.name, leadingKeys: [partitionValue(body[keyField], table.hashKey)] };
}

// `#pk = :pk`, `GSI1PK = :v AND begins_with(SK, :p)`, `PK = :pk AND SK BETWEEN :a AND :b`: the equality
// on the partition key is a term of the top-level AND. Anything with OR, NOT or parentheses other than
// begins_with(…) is refused rather than guessed at.
const TERM_EQUALS = /^\s*(#?[A-Za-z0-9_.-]+)\s*=\s*(:[A-Za-z0-9_]+)\s*$/;

function queryPartition(body: Body, attribute: string): string {
  const expression = body.KeyConditionExpression;
  if (typeof expression !== 'string') throw cannotJudge('a Query without a KeyConditionExpression');
  const withoutBeginsWith = expression.replace(/begins_with\s*\([^()]*\)/gi, 'begins_with');
  if (/[()]|\b(OR|NOT)\b/i.test(withoutBeginsWith)) throw cannotJudge('a key condition with OR, NOT or parentheses');
  const names = isObject(body.ExpressionAttributeNames) ? body.ExpressionAttributeNames : {};
  const values = isObject(body.ExpressionAttributeValues) ? body.ExpressionAttributeValues : {};
  // BETWEEN's own AND belongs to its term: join it back before splitting on AND.
  const terms = withoutBeginsWith.replace(/\bBETWEEN\s+(:[A-Za-z0-9_]+)\s+AND\s+/gi, 'BETWEEN $1 & ').split(/\bAND\b/i);
  const partitions = terms.flatMap((term) => {
    const match = TERM_EQUALS.exec(term);
    if (!match?.[1] || !match[2]) return [];
    const name = match[1].startsWith('#') ? names[match[1]] : match[1];
    return name === attribute ? [values[match[2]] as AttributeValue | undefined] : [];
  });
  const [value] = partitions;
  if (partitions.length !== 1 || !isObject(value) || typeof value.S !== 'string') throw cannotJudge(`no single string equality on ${attribute}`);
  return value.S;
}

function queryCheck(schemas: ReadonlyMap<string, KeySchema>, body: Body): Check {
  const table = tableSchema(schemas, body.TableName);
  if (body.IndexName === undefined) return { action: 'dynamodb:Query', table: table.name, leadingKeys: [queryPartition(body, table.hashKey)] };
  const index = String(body.IndexName);
  const hashKey = table.indexes[index];
  if (!hashKey) throw cannotJudge(`unknown index ${index} of ${table.name}`);
  return { action: 'dynamodb:Query', table: table.name, index, leadingKeys: [queryPartition(body, hashKey)] };
}

function batchGetChecks(schemas: ReadonlyMap<string, KeySchema>, body: Body): Check[] {
  if (!isObject(body.RequestItems)) throw cannotJudge('a BatchGetItem without RequestItems');
  return Object.entries(body.RequestItems).map(([name, request]) => {
    const table = tableSchema(schemas, name);
    const keys = isObject(request) && Array.isArray(request.Keys) ? request.Keys : [];
    return { action: 'dynamodb:BatchGetItem', table: name, leadingKeys: keys.map((key) => partitionValue(key, table.hashKey)) };
  });
}

function batchWriteChecks(schemas: ReadonlyMap<string, KeySchema>, body: Body): Check[] {
  if (!isObject(body.RequestItems)) throw cannotJudge('a BatchWriteItem without RequestItems');
  return Object.entries(body.RequestItems).map(([name, writes]) => {
    const table = tableSchema(schemas, name);
    const keys = (Array.isArray(writes) ? writes : []).map((write: unknown) => {
      const put = isObject(write) && isObject(write.PutRequest) ? write.PutRequest.Item : undefined;
      const del = isObject(write) && isObject(write.DeleteRequest) ? write.DeleteRequest.Key : undefined;
      return partitionValue(put ?? del, table.hashKey);
    });
    return { action: 'dynamodb:BatchWriteItem', table: name, leadingKeys: keys };
  });
}

const TRANSACT_WRITE: Record<string, [string, 'Key' | 'Item']> = {
  Put: ['dynamodb:PutItem', 'Item'],
  Update: ['dynamodb:UpdateItem', 'Key'],
  Delete: ['dynamodb:DeleteItem', 'Key'],
  ConditionCheck: ['dynamodb:ConditionCheckItem', 'Key'],
};

function transactChecks(schemas: ReadonlyMap<string, KeySchema>, body: Body, kinds: Record<string, [string, 'Key' | 'Item']>): Check[] {
  if (!Array.isArray(body.TransactItems)) throw cannotJudge('a transaction without TransactItems');
  return body.TransactItems.map((entry: unknown) => {
    const [kind, ...others] = isObject(entry) ? Object.keys(entry) : [];
    const known = kind === undefined ? undefined : kinds[kind];
    if (!known || others.length > 0) throw cannotJudge(`a transaction item of kind ${kind ?? 'none'}`);
    return itemCheck(schemas, known[0], (entry as Body)[kind as string], known[1]);
  });
}

/** The checks one call needs, or an AccessDeniedException when it cannot be judged. */
export function checksOf(operation: string, body: Body, schemas: ReadonlyMap<string, KeySchema>): Check[] {
  switch (operation) {
    case 'GetItem':
      return [itemCheck(schemas, 'dynamodb:GetItem', body, 'Key')];
    case 'PutItem':
      return [itemCheck(schemas, 'dynamodb:PutItem', body, 'Item')];
    case 'UpdateItem':
      return [itemCheck(schemas, 'dynamodb:UpdateItem', body, 'Key')];
    case 'DeleteItem':
      return [itemCheck(schemas, 'dynamodb:DeleteItem', body, 'Key')];
    case 'Query':
      return [queryCheck(schemas, body)];
    case 'Scan': {
      const table = tableSchema(schemas, body.TableName);
      return [{ action: 'dynamodb:Scan', table: table.name, ...(body.IndexName !== undefined ? { index: String(body.IndexName) } : {}) }];
    }
    case 'BatchGetItem':
      return batchGetChecks(schemas, body);
    case 'BatchWriteItem':
      return batchWriteChecks(schemas, body);
    case 'TransactWriteItems':
      return transactChecks(schemas, body, TRANSACT_WRITE);
    case 'TransactGetItems':
      return transactChecks(schemas, body, { Get: ['dynamodb:GetItem', 'Key'] });
    case 'DescribeTable':
      return [{ action: 'dynamodb:DescribeTable', table: tableSchema(schemas, body.TableName).name }];
    default:
      throw cannotJudge(`operation ${operation}`);
  }
}
