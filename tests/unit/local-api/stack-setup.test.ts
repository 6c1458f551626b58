import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables, readTableSpecs } from '#dev/dynamodb-tables';
import { resolveHome } from '#dev/paths';
import { parseStartOptions } from '#dev/start-options';

// How `npm start` reads its options and infra/tables.yml before it starts anything.

const names = { main: 'latchkey-main-local', log: 'latchkey-log-local' };

describe('tables for DynamoDB Local from infra/tables.yml', () => {
  const specs = readTableSpecs(names);

  it('creates both tables under the local names with the declared keys and indexes', () => {
    expect(specs.map((s) => s.input.TableName)).toEqual([names.main, names.log]);
    const main = specs[0]?.input;
    expect(main?.KeySchema).toEqual([{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }]);
    expect(main?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(expect.arrayContaining(['GSI1', 'GSI2', 'GSI3']));
  });

  it('says so when a kept table’s indexes differ from tables.yml in keys or projection, not only in name', async () => {
    const log = specs[1]!.input;
    // A client that has both tables already; the log table as DescribeTable returns it, maybe altered.
    const client = (indexes: unknown) =>
      Object.assign(new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), {
        send: async (command: { constructor: { name: string }; input: { TableName?: string } }) =>
          command.constructor.name === 'ListTablesCommand'
            ? { TableNames: [names.main, names.log] }
            : { Table: { GlobalSecondaryIndexes: command.input.TableName === names.log ? indexes : specs[0]!.input.GlobalSecondaryIndexes } },
      });
    const warned = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await ensureTables(client(log.GlobalSecondaryIndexes) as never, specs);
      expect(warned).not.toHaveBeenCalled();
      const older = log.GlobalSecondaryIndexes!.map((i) => (i.IndexName === 'GSI2' ? { ...i, Projection: { ProjectionType: 'ALL' } } : i));
      await ensureTables(client(older) as never, specs);
      expect(warned).toHaveBeenCalledTimes(1);
      expect(String(warned.mock.calls[0]![0])).toMatch(/GSI2\(GSI2PK:HASH ATSEQ:RANGE; ALL \).*--reset/);
    } finally {
      warned.mockRestore();
    }
  });

  it('leaves out what only CloudFormation understands', () => {
    for (const { input } of specs) {
      expect(input).not.toHaveProperty('DeletionProtectionEnabled');
      expect(input).not.toHaveProperty('PointInTimeRecoverySpecification');
      expect(input).not.toHaveProperty('SSESpecification');
    }
  });

  it('refuses a table property nobody mapped, and a table name it does not know', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tables-'));
    const file = join(dir, 'tables.yml');
    writeFileSync(file, 'T:\n  Type: AWS::DynamoDB::Table\n  Properties:\n    TableName: ${self:custom.tables.main}\n    Surprise: 1\n');
    expect(() => readTableSpecs(names, file)).toThrow(/Surprise/);
    writeFileSync(file, 'T:\n  Type: AWS::DynamoDB::Table\n  Properties:\n    TableName: ${self:custom.tables.other}\n');
    expect(() => readTableSpecs(names, file)).toThrow(/does not name a table/);
  });
});

describe('npm start options', () => {
  it('defaults to port 4480 with the issuer next to it, data persisted', () => {
    expect(parseStartOptions([], {})).toMatchObject({ port: 4480, oidcPort: 4481, standinPort: 4485, inMemory: false, reset: false, json: false, scheduleSeconds: 60, exitWithParent: false });
  });

  it('keeps the stand-in at API port + 5 unless told otherwise', () => {
    expect(parseStartOptions(['--port', '5000'], {})).toMatchObject({ oidcPort: 5001, standinPort: 5005 });
    expect(parseStartOptions(['--port', '5000', '--standin-port', '6000'], {})).toMatchObject({ standinPort: 6000 });
  });

  it('puts PostgreSQL and MariaDB at API port + 6 and + 7 unless told, and runs them unless --no-databases', () => {
    expect(parseStartOptions(['--port', '5000'], {})).toMatchObject({ pgPort: 5006, mariadbPort: 5007, databases: true });
    expect(parseStartOptions(['--pg-port', '6432', '--mariadb-port', '6433', '--no-databases'], {})).toMatchObject({ pgPort: 6432, mariadbPort: 6433, databases: false });
    expect(parseStartOptions([], {})).toMatchObject({ demo: true });
    expect(parseStartOptions(['--no-demo'], {})).toMatchObject({ demo: false, databases: true });
  });

  it('isolates tenants through the DynamoDB front unless a bench baseline asks for --no-tenant-isolation', () => {
    expect(parseStartOptions([], {})).toMatchObject({ tenantIsolation: true });
    expect(parseStartOptions(['--no-tenant-isolation'], {})).toMatchObject({ tenantIsolation: false });
  });

  it('makes every port ephemeral with --port 0', () => {
    expect(parseStartOptions(['--port', '0', '--in-memory', '--json'], {})).toMatchObject({ port: 0, oidcPort: 0, standinPort: 0, pgPort: 0, mariadbPort: 0, inMemory: true, json: true });
  });

  it('watches its parent under npm start, so a killed npm leaves no stack behind', () => {
    expect(parseStartOptions([], { npm_lifecycle_event: 'start' })).toMatchObject({ exitWithParent: true });
    expect(parseStartOptions([], { npm_lifecycle_event: 'test' })).toMatchObject({ exitWithParent: false });
  });

  it('takes JSON output and parent-watching from the environment, for CI', () => {
    expect(parseStartOptions([], { LATCHKEY_JSON: '1', LATCHKEY_EXIT_WITH_PARENT: '1' })).toMatchObject({ json: true, exitWithParent: true });
  });

  it.each([['--port', 'x'], ['--port', '70000'], ['--standin-port', '-1'], ['--bogus']])('refuses %s %s', (...args) => {
    expect(() => parseStartOptions(args, {})).toThrow();
  });

  it('finds the home in --home, then LATCHKEY_HOME, then .latchkey in the repo', () => {
    expect(resolveHome('/abs/h', { LATCHKEY_HOME: '/env/h' })).toBe('/abs/h');
    expect(resolveHome(undefined, { LATCHKEY_HOME: 'rel', INIT_CWD: '/where/typed' })).toBe('/where/typed/rel');
    expect(resolveHome(undefined, {})).toMatch(/\/\.latchkey$/);
  });
});
