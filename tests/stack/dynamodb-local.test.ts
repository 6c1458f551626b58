import { readFileSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { JVM_OPTIONS, localClient, startDynamoDbLocal } from '#dev/dynamodb-local';
import { processCommandLine } from '#dev/proc-info';

// DynamoDB Local as dev/dynamodb-local.ts launches it: the JVM takes JVM_OPTIONS
// (a flag it refused would end the loopback launch and leave the wide-binding
// fallback), the database answers, and it listens on 127.0.0.1 only.

/** The local addresses `port` is listened on, from /proc/net/tcp and tcp6 (state 0A = LISTEN). */
function listenAddresses(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '0A')
      .map((f) => f[1]!.split(':')[0]!),
  );
}

describe('DynamoDB Local launch', () => {
  it('runs the JVM with JVM_OPTIONS, bound to loopback, and answers', async () => {
    const local = await startDynamoDbLocal({});
    try {
      expect(local.loopbackOnly).toBe(true);
      const command = processCommandLine(local.pid) ?? '';
      for (const option of JVM_OPTIONS) expect(command.split(' ')).toContain(option);
      // 127.0.0.1 as /proc/net writes it, plain (tcp) or IPv4-mapped (tcp6, Java's way); nothing on 0.0.0.0 or ::.
      const addresses = listenAddresses(local.port);
      expect(addresses.length).toBeGreaterThan(0);
      for (const address of addresses) expect(['0100007F', '0000000000000000FFFF00000100007F']).toContain(address);
      const client = localClient(local.port);
      try {
        await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
      } finally {
        client.destroy();
      }
    } finally {
      await local.close();
    }
  });
});
