import { describe, expect, it } from 'vitest';
import { authorize } from '#dev/aws-standin/authorize';
import { checksOf, type KeySchema } from '#dev/aws-standin/dynamodb-checks';
import { StandinState } from '#dev/aws-standin/state';
import { localIamDocuments } from '#dev/iam-documents';

// What the DynamoDB front reads from each call (the action, resource and
// dynamodb:LeadingKeys IAM judges), and infra/iam.yml's TenantDataRole policy
// judged by the stand-in's evaluator with a session tagged tenant=acme.

const schemas = new Map<string, KeySchema>([
  ['main', { hashKey: 'PK', indexes: { GSI1: 'GSI1PK', GSI2: 'GSI2PK', GSI3: 'GSI3PK' } }],
  ['log', { hashKey: 'PK', indexes: { GSI1: 'GSI1PK', GSI6: 'GSI6PK' } }],
]);
const S = (value: string) => ({ S: value });

describe('checksOf: what IAM authorizes for each DynamoDB call', () => {
  it('reads the partition key of item calls, transactions and batches', () => {
    expect(checksOf('GetItem', { TableName: 'main', Key: { PK: S('T#acme'), SK: S('REQ#1') } }, schemas)).toEqual([{ action: 'dynamodb:GetItem', table: 'main', leadingKeys: ['T#acme'] }]);
    expect(checksOf('UpdateItem', { TableName: 'main', Key: { PK: S('T#acme'), SK: S('x') } }, schemas)[0]?.action).toBe('dynamodb:UpdateItem');
    expect(checksOf('DeleteItem', { TableName: 'main', Key: { PK: S('T#b'), SK: S('x') } }, schemas)[0]).toMatchObject({ action: 'dynamodb:DeleteItem', leadingKeys: ['T#b'] });
    const transaction = {
      TransactItems: [
        { Put: { TableName: 'main', Item: { PK: S('T#acme'), SK: S('REQ#1') } } },
        { Update: { TableName: 'main', Key: { PK: S('T#acme'), SK: S('REQ#1#SSM#s') } } },
        { ConditionCheck: { TableName: 'main', Key: { PK: S('T#acme'), SK: S('REQ#1') } } },
        { Put: { TableName: 'log', Item: { PK: S('T#other#C#01'), SK: S('EV#1') } } },
      ],
    };
    expect(checksOf('TransactWriteItems', transaction, schemas).map((c) => [c.action, c.table, c.leadingKeys])).toEqual([
      ['dynamodb:PutItem', 'main', ['T#acme']],
      ['dynamodb:UpdateItem', 'main', ['T#acme']],
      ['dynamodb:ConditionCheckItem', 'main', ['T#acme']],
      ['dynamodb:PutItem', 'log', ['T#other#C#01']],
    ]);
    expect(checksOf('TransactGetItems', { TransactItems: [{ Get: { TableName: 'main', Key: { PK: S('T#x'), SK: S('y') } } }] }, schemas)).toEqual([{ action: 'dynamodb:GetItem', table: 'main', leadingKeys: ['T#x'] }]);
    const batch = { RequestItems: { main: { Keys: [{ PK: S('T#acme'), SK: S('a') }, { PK: S('T#b'), SK: S('b') }] }, log: { Keys: [{ PK: S('T#acme#C#00'), SK: S('HEAD') }] } } };
    expect(checksOf('BatchGetItem', batch, schemas)).toEqual([
      { action: 'dynamodb:BatchGetItem', table: 'main', leadingKeys: ['T#acme', 'T#b'] },
      { action: 'dynamodb:BatchGetItem', table: 'log', leadingKeys: ['T#acme#C#00'] },
    ]);
    const writes = { RequestItems: { main: [{ PutRequest: { Item: { PK: S('T#a'), SK: S('1') } } }, { DeleteRequest: { Key: { PK: S('T#b'), SK: S('2') } } }] } };
    expect(checksOf('BatchWriteItem', writes, schemas)).toEqual([{ action: 'dynamodb:BatchWriteItem', table: 'main', leadingKeys: ['T#a', 'T#b'] }]);
  });

  it('reads the partition value of a Query’s key condition, on the table or on the index by name', () => {
    const query = (KeyConditionExpression: string, extra: Record<string, unknown> = {}) =>
      checksOf('Query', { TableName: 'main', KeyConditionExpression, ExpressionAttributeValues: { ':pk': S('T#acme'), ':a': S('a'), ':b': S('b') }, ...extra }, schemas)[0];
    expect(query('PK = :pk AND begins_with(SK, :a)')).toEqual({ action: 'dynamodb:Query', table: 'main', leadingKeys: ['T#acme'] });
    expect(query('PK = :pk AND SK BETWEEN :a AND :b')?.leadingKeys).toEqual(['T#acme']);
    expect(query('SK BETWEEN :a AND :b AND #p = :pk', { ExpressionAttributeNames: { '#p': 'PK' } })?.leadingKeys).toEqual(['T#acme']);
    expect(query('GSI1PK = :pk', { IndexName: 'GSI1' })).toEqual({ action: 'dynamodb:Query', table: 'main', index: 'GSI1', leadingKeys: ['T#acme'] });
  });

  it('refuses what it cannot judge instead of letting it through', () => {
    const refused = (operation: string, body: Record<string, unknown>) => () => checksOf(operation, body, schemas);
    const values = { ExpressionAttributeValues: { ':pk': S('T#acme'), ':o': S('T#other') } };
    expect(refused('Query', { TableName: 'main', KeyConditionExpression: 'PK = :pk OR PK = :o', ...values })).toThrow(/cannot judge/);
    expect(refused('Query', { TableName: 'main', KeyConditionExpression: '(PK = :pk)', ...values })).toThrow(/cannot judge/);
    expect(refused('Query', { TableName: 'main', KeyConditionExpression: 'SK = :pk', ...values })).toThrow(/no single string equality on PK/);
    expect(refused('Query', { TableName: 'main', IndexName: 'GSI9', KeyConditionExpression: 'X = :pk', ...values })).toThrow(/unknown index GSI9/);
    expect(refused('GetItem', { TableName: 'elsewhere', Key: { PK: S('T#acme') } })).toThrow(/unknown table/);
    expect(refused('GetItem', { TableName: 'main', Key: { PK: { N: '1' } } })).toThrow(/no string partition key/);
    expect(refused('ExecuteStatement', { Statement: "SELECT * FROM main WHERE PK = 'T#x'" })).toThrow(/operation ExecuteStatement/);
    expect(refused('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'main', Item: { PK: S('T#a') } }, Delete: { TableName: 'main', Key: { PK: S('T#b') } } }] })).toThrow(/cannot judge/);
  });
});

describe('TenantDataRole (infra/iam.yml) as the front judges it', () => {
  const names = { service: 'latchkey', stage: 'local', region: 'eu-central-1', account: '000000000000', tables: { main: 'main', log: 'log' }, functionRoleArn: 'arn:aws:iam::000000000000:role/fn' };
  const documents = localIamDocuments(names);
  const state = new StandinState();
  state.addRole(documents.tenantDataRole);
  const acme = state.issueCredentialsFor(documents.tenantDataRole.arn, { sessionName: 'acme', tags: { tenant: 'acme' } });
  const table = (name: string, index?: string) => `arn:aws:dynamodb:eu-central-1:000000000000:table/${name}${index ? `/index/${index}` : ''}`;
  const allowed = (action: string, arn: string, leadingKeys?: string[]) =>
    authorize(state, acme, action, [{ arn, context: leadingKeys ? { 'dynamodb:LeadingKeys': leadingKeys } : {} }]).allowed;

  it('allows the tenant’s own partitions, on the tables and the indexes the functions use', () => {
    expect(allowed('dynamodb:GetItem', table('main'), ['T#acme'])).toBe(true);
    expect(allowed('dynamodb:Query', table('main', 'GSI1'), ['T#acme#REQUESTER#user#alice'])).toBe(true);
    expect(allowed('dynamodb:PutItem', table('log'), ['T#acme#C#03'])).toBe(true);
    expect(allowed('dynamodb:Query', table('log', 'GSI7'), ['T#acme'])).toBe(true);
    expect(allowed('dynamodb:BatchGetItem', table('main'), ['T#acme', 'T#acme'])).toBe(true);
    expect(allowed('dynamodb:PutItem', table('main'), ['SVCROLE#123456789012#svc'])).toBe(true);
  });

  it('refuses any other tenant’s partition, even one among the tenant’s own, and a tenant whose id extends this one', () => {
    expect(allowed('dynamodb:GetItem', table('main'), ['T#globex'])).toBe(false);
    expect(allowed('dynamodb:BatchGetItem', table('main'), ['T#acme', 'T#globex'])).toBe(false);
    expect(allowed('dynamodb:Query', table('log', 'GSI2'), ['T#acme-eu#RQR#alice'])).toBe(false);
    expect(allowed('dynamodb:PutItem', table('log'), ['T#globex#C#00'])).toBe(false);
  });

  it('refuses what the tenant never needs: the sweeper’s index, scans, deletes, log updates, other tables', () => {
    expect(allowed('dynamodb:Query', table('main', 'GSI3'), ['DUE#2026-12-06'])).toBe(false);
    expect(allowed('dynamodb:Query', table('main', 'GSI3'), ['T#acme'])).toBe(false);
    expect(allowed('dynamodb:Scan', table('main'))).toBe(false);
    expect(allowed('dynamodb:DeleteItem', table('main'), ['T#acme'])).toBe(false);
    expect(allowed('dynamodb:DeleteItem', table('main'), ['T#acme#C#00'])).toBe(false);
    expect(allowed('dynamodb:DeleteItem', table('main'), ['T#other#BGOPEN'])).toBe(false);
    // The one delete a tenant session has: its own break-glass review markers.
    expect(allowed('dynamodb:DeleteItem', table('main'), ['T#acme#BGOPEN'])).toBe(true);
    expect(allowed('dynamodb:UpdateItem', table('log'), ['T#acme#C#00'])).toBe(false);
    expect(allowed('dynamodb:GetItem', table('other'), ['T#acme'])).toBe(false);
    expect(allowed('dynamodb:GetItem', table('main'), ['SVCROLE#123456789012#svc'])).toBe(false);
  });
});
