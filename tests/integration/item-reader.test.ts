import { describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ItemReader } from '#shared/adapters/dynamodb/item-reader';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

// GetItems asked in one tick go out as one BatchGetItem; against DynamoDB Local, so its rules apply.
const stores = dynamoStores();

describe('ItemReader against DynamoDB Local', () => {
  it('answers every caller, the same key asked twice in one tick included, in one BatchGetItem', async () => {
    const tenant = freshTenant('reader');
    const key = (n: number) => ({ PK: `T#${tenant}`, SK: `TARGET#tgt_${n}` });
    for (const n of [1, 2]) await stores.db.send(new PutCommand({ TableName: stores.tables.main, Item: { ...key(n), n } }));
    const sent: string[] = [];
    const send = stores.db.send.bind(stores.db);
    const reader = new ItemReader({ send: (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), send(command as never)) } as never);

    const [a, again, b, missing] = await Promise.all([reader.get(stores.tables.main, key(1)), reader.get(stores.tables.main, key(1)), reader.get(stores.tables.main, key(2)), reader.get(stores.tables.main, key(3))]);

    expect([a?.n, again?.n, b?.n, missing]).toEqual([1, 1, 2, undefined]);
    expect(sent).toEqual(['BatchGetCommand']);
  });
});
