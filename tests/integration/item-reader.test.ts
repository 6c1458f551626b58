import { describe, expect, it } from 'vitest';
import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ItemReader, readItems } from '#shared/adapters/dynamodb/item-reader';
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

  it('readItems: answers in the order asked, over 100 keys, asking unprocessed keys again and misses once more, strongly consistent', async () => {
    const tenant = freshTenant('items');
    const key = (n: number) => ({ PK: `T#${tenant}`, SK: `TARGET#tgt_${String(n).padStart(3, '0')}` });
    for (let n = 0; n < 130; n += 1) if (n !== 7) await stores.db.send(new PutCommand({ TableName: stores.tables.main, Item: { ...key(n), n } }));
    const sent: { keys: number; consistent: boolean }[] = [];
    const send = stores.db.send.bind(stores.db);
    let held = false;
    // The first answer holds back its last three keys as DynamoDB does under throttling.
    const db = {
      send: async (command: { input: { RequestItems: Record<string, { Keys: Record<string, string>[]; ConsistentRead?: boolean }> } }) => {
        const asked = command.input.RequestItems[stores.tables.main]!;
        sent.push({ keys: asked.Keys.length, consistent: asked.ConsistentRead === true });
        if (held || asked.Keys.length < 4) return send(command as never);
        held = true;
        const answer = (await send(new BatchGetCommand({ RequestItems: { [stores.tables.main]: { ...asked, Keys: asked.Keys.slice(0, -3) } } }))) as Record<string, unknown>;
        return { ...answer, UnprocessedKeys: { [stores.tables.main]: { Keys: asked.Keys.slice(-3) } } };
      },
    };
    const order = [129, 3, 7, ...Array.from({ length: 128 }, (_, i) => i).filter((n) => n !== 3 && n !== 7), 128];

    const items = await readItems(db as never, stores.tables.main, order.map(key));

    expect(items.map((i) => i?.n)).toEqual(order.map((n) => (n === 7 ? undefined : n)));
    // Two chunks (100 + 30), the held-back three again, then the one miss strongly consistent.
    expect(sent.filter((s) => !s.consistent).map((s) => s.keys).sort((a, b) => a - b)).toEqual([3, 30, 100]);
    expect(sent.filter((s) => s.consistent)).toEqual([{ keys: 1, consistent: true }]);
  });
});
