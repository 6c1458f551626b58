import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { integrationKeys } from '#shared/adapters/dynamodb/keys';
import { AlreadyExistsError, ConcurrentModificationError, CorruptRecordError } from '#shared/kernel/errors';
import { ExternalIdTakenError } from '#shared/integrations/errors';
import type { Integration } from '#shared/integrations/integration';
import { LogAction } from '#shared/grant-log/events';
import type { IntegrationReader } from '#shared/minting/ports';
import { toHttpError } from '#shared/http/error-mapper';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

// The one adapter of the integration item, as the integration use cases and minting both read it.
const stores = dynamoStores();
const registry = new DynamoIntegrationRegistry(stores.db, stores.tables, stores.log);
const forMinting: IntegrationReader = registry;
const ID = 'int_01JTESTINTEGRATION1';

const stored = (tenantId: string, overrides: Record<string, unknown> = {}) => ({
  tenantId, integrationId: ID, name: 'orders account', accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/LatchkeyAccess',
  externalId: 'lk-ext-abcdefghijklmnopqrstuvwxyz234567', status: 'verified', createdAt: '2030-01-15T09:00:00.000Z', createdBy: 'admin', version: 3,
  ...overrides,
});

async function putRaw(tenantId: string, item: Record<string, unknown>): Promise<void> {
  await stores.db.send(new PutCommand({ TableName: stores.tables.main, Item: { ...integrationKeys.integration(tenantId, ID), entity: 'integration', ...item } }));
}

describe('DynamoIntegrationRegistry writes that lose, against DynamoDB Local', () => {
  const entry = (tenantId: string) => ({ tenantId, at: '2030-01-15T09:00:00.000Z', action: LogAction.integrationCreated, actorId: 'admin', actorKind: 'user' as const, outcome: 'success' as const });

  it('says what won (ALL_OLD): the existing integration id, the stored integration and its version', async () => {
    const tenant = freshTenant();
    const first = stored(tenant, { version: 1, status: 'pending', externalId: `lk-ext-${tenant}` }) as Integration;
    await registry.create(first, entry(tenant));
    const winner = { ...first, name: 'renamed', version: 2 };
    await registry.save(winner, 1, entry(tenant));

    const taken = await registry.create({ ...first, externalId: `lk-ext-other-${tenant}` }, entry(tenant)).catch((e: unknown) => e);
    const stale = await registry.save({ ...first, version: 2 }, 1, entry(tenant)).catch((e: unknown) => e);

    expect(taken).toBeInstanceOf(AlreadyExistsError);
    expect((taken as AlreadyExistsError).existingId).toBe(ID);
    expect(stale).toBeInstanceOf(ConcurrentModificationError);
    expect((stale as ConcurrentModificationError).current).toEqual(winner);
    expect((stale as ConcurrentModificationError).details).toEqual({ currentVersion: 2 });
  });

  it('takes nothing of another tenant when the external ID claim loses', async () => {
    const owner = freshTenant();
    const other = freshTenant();
    const shared = `lk-ext-shared-${owner}`;
    await registry.create(stored(owner, { version: 1, externalId: shared }) as Integration, entry(owner));

    const lost = await registry.create(stored(other, { version: 1, externalId: shared }) as Integration, entry(other)).catch((e: unknown) => e);

    expect(lost).toBeInstanceOf(ExternalIdTakenError);
    expect(JSON.stringify({ ...(lost as ExternalIdTakenError), message: (lost as Error).message })).not.toContain(owner);
  });
});

describe('DynamoIntegrationRegistry reads against DynamoDB Local', () => {
  it('reads an integration by id within its tenant only, as the one Integration model minting reads too', async () => {
    const tenant = freshTenant();
    await putRaw(tenant, stored(tenant));

    expect(await forMinting.get(tenant, ID)).toEqual(stored(tenant));
    expect(await forMinting.get(freshTenant(), ID)).toBeUndefined();
  });

  it.each([
    ['an unknown status', { status: 'suspended' }, ['status']],
    ['no external ID', { externalId: undefined }, ['externalId']],
    ['an empty account', { accountId: '' }, ['accountId']],
    ['a version that is not a number', { version: '3' }, ['version']],
  ])('refuses an item with %s as corrupt, naming the attribute and not its value', async (_what, overrides, attributes) => {
    const tenant = freshTenant();
    await putRaw(tenant, stored(tenant, overrides));

    const read = forMinting.get(tenant, ID);

    await expect(read).rejects.toBeInstanceOf(CorruptRecordError);
    const error = (await read.catch((e: unknown) => e)) as CorruptRecordError;
    expect(error.details).toEqual({ item: 'integration', key: integrationKeys.integration(tenant, ID), attributes });
    expect(error.message).not.toContain('suspended');
    // The caller sees data corruption as a bare 500.
    expect(toHttpError(error).statusCode).toBe(500);
    expect(JSON.parse(toHttpError(error).body)).toEqual({ error: 'internal_error', message: 'Something went wrong on our side.' });
  });

  it('refuses a corrupt item in a list too, rather than leaving it out', async () => {
    const tenant = freshTenant();
    await putRaw(tenant, stored(tenant, { status: 'suspended' }));

    await expect(registry.list(tenant, { limit: 10 })).rejects.toBeInstanceOf(CorruptRecordError);
  });
});
