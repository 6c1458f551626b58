import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_BATCH_ATTEMPTS, readItems } from '#shared/adapters/dynamodb/item-reader';

// Under sustained throttling BatchGetItem keeps answering UnprocessedKeys: the read must fail
// after a bounded number of attempts, not spin until the API's timeout.

afterEach(() => vi.useRealTimers());

describe('readItems under throttling that does not end', () => {
  it(`asks ${MAX_BATCH_ATTEMPTS} times, backing off, then fails naming the table and how many keys were left`, async () => {
    vi.useFakeTimers();
    let asked = 0;
    const db = {
      send: async (command: { input: { RequestItems: Record<string, { Keys: unknown[] }> } }) => {
        asked += 1;
        return { Responses: { log: [] }, UnprocessedKeys: { log: { Keys: command.input.RequestItems.log!.Keys } } };
      },
    };
    const read = readItems(db as never, 'log', [{ PK: 'T#t#C#00', SK: 'EV#000000000001' }, { PK: 'T#t#C#00', SK: 'EV#000000000002' }]);
    const failed = expect(read).rejects.toThrow(`BatchGetItem on log left 2 keys unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
    await vi.runAllTimersAsync();
    await failed;
    expect(asked).toBe(MAX_BATCH_ATTEMPTS);
  });

  it('returns what the retries brought back when the throttling ends in time', async () => {
    vi.useFakeTimers();
    let asked = 0;
    const db = {
      send: async (command: { input: { RequestItems: Record<string, { Keys: { SK: string }[] }> } }) => {
        asked += 1;
        const keys = command.input.RequestItems.log!.Keys;
        if (asked < 3) return { Responses: { log: [] }, UnprocessedKeys: { log: { Keys: keys } } };
        return { Responses: { log: keys.map((k) => ({ PK: 'T#t#C#00', SK: k.SK, n: k.SK })) } };
      },
    };
    const read = readItems(db as never, 'log', [{ PK: 'T#t#C#00', SK: 'EV#000000000001' }]);
    await vi.runAllTimersAsync();
    expect((await read).map((item) => item?.n)).toEqual(['EV#000000000001']);
    expect(asked).toBe(3);
  });
});
