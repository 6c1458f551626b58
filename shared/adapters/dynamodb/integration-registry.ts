import { readerFor } from './item-reader.ts';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { AlreadyExistsError, ConcurrentModificationError, CorruptRecordError } from '../../kernel/errors.ts';
import { ExternalIdTakenError } from '../../integrations/errors.ts';
import type { LogEntry } from '../../grant-log/events.ts';
import { IntegrationStatus, type Integration } from '../../integrations/integration.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { IntegrationRegistry } from '../../integrations/ports.ts';
import type { Tables } from './client.ts';
import { queryByPrefix } from './prefix-query.ts';
import { returnWinner, withoutKeys } from './items.ts';
import { integrationKeys } from './keys.ts';
import type { LogWriter } from './log-writer.ts';

/**
 * What an integration item must hold to be an Integration. Checked on every read: an
 * unknown status or a missing field is corruption, and guessing ('failed', '') would
 * hide it — or, for minting, turn it into an AssumeRole with an empty role or ID.
 */
const integrationItem = z.looseObject({
  tenantId: z.string().min(1),
  integrationId: z.string().min(1),
  name: z.string(),
  accountId: z.string().min(1),
  externalId: z.string().min(1),
  status: z.enum(IntegrationStatus),
  roleArn: z.string().min(1).optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  version: z.number().int(),
});

function fromItem(item: Record<string, unknown>): Integration {
  const parsed = integrationItem.safeParse(item);
  if (!parsed.success) {
    // Attribute names only: the values may be anything, an external ID included.
    const attributes = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '(item)')))];
    throw new CorruptRecordError('integration', { PK: String(item.PK), SK: String(item.SK) }, attributes);
  }
  const { PK: _pk, SK: _sk, entity: _e, ...rest } = item;
  return rest as Integration;
}

/**
 * The one adapter of the integration item: the integrations use cases read and write
 * through it, minting reads through it (IntegrationReader). Every write goes with its
 * log event through the LogWriter transaction.
 */
export class DynamoIntegrationRegistry implements IntegrationRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly log: LogWriter,
  ) {}

  async get(tenantId: string, integrationId: string): Promise<Integration | undefined> {
    const item = await readerFor(this.db).get(this.tables.main, integrationKeys.integration(tenantId, integrationId));
    return item ? fromItem(item) : undefined;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Integration>> {
    return queryByPrefix(this.db, this.tables.main, integrationKeys.integration(tenantId, '').PK, integrationKeys.integrationPrefix, page, fromItem);
  }


  async create(integration: Integration, entry: LogEntry): Promise<void> {
    await this.log.write(
      [
        { Put: { TableName: this.tables.main, Item: this.item(integration), ConditionExpression: 'attribute_not_exists(PK)', ...returnWinner } },
        // The claim on the external ID: whichever integration writes it first owns it, across all tenants.
        // No ALL_OLD on it: the winner is another tenant's integration, and must not come back to this one.
        {
          Put: {
            TableName: this.tables.main,
            Item: { ...integrationKeys.externalId(integration.externalId), entity: 'external-id', tenantId: integration.tenantId, integrationId: integration.integrationId },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
      [entry],
      (index, winner) => (index === 0 ? new AlreadyExistsError('An integration with this id', { existingId: winner?.integrationId as string | undefined }) : new ExternalIdTakenError()),
    );
  }

  async save(integration: Integration, expectedVersion: number, entry: LogEntry): Promise<void> {
    await this.log.write(
      [
        {
          Put: {
            TableName: this.tables.main,
            Item: this.item(integration),
            // The external ID and the account are part of the condition: no code path may change them.
            ConditionExpression: 'version = :expected AND externalId = :externalId AND accountId = :accountId',
            ExpressionAttributeValues: { ':expected': expectedVersion, ':externalId': integration.externalId, ':accountId': integration.accountId },
            ...returnWinner,
          },
        },
      ],
      [entry],
      (_i, winner) => {
        // Unchecked on purpose: the conflict is what the caller must hear, even about an item that is corrupt.
        const current = winner && withoutKeys<Integration>(winner, ['PK', 'SK', 'entity']);
        return new ConcurrentModificationError('The integration', current ? { current, currentVersion: current.version } : {});
      },
    );
  }

  private item(integration: Integration) {
    return { ...integrationKeys.integration(integration.tenantId, integration.integrationId), entity: 'integration', ...integration };
  }
}
