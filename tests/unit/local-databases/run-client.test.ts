import { describe, expect, it } from 'vitest';
import { runClient } from '../../../dev/databases/run-client.ts';

describe('runClient', () => {
  it('survives a client that exits without reading its input (EPIPE), and reports its exit', async () => {
    // 1 MiB is well past a pipe's buffer: the write is still under way when `true` exits.
    const run = await runClient('true', [], { input: 'x'.repeat(1 << 20) });
    expect(run.code).toBe(0);
  });
});
