import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, ConcurrentModificationError } from '../../kernel/errors.ts';
import { ExternalIdTakenError } from '../../integrations/errors.ts';
import type { LogEntry } from '../../grant-log/events.ts';
import type { IntegrationRecord } from '../../integrations/integration.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { IntegrationRegistry } from '../../integrations/ports.ts';
import type { Tables } from './client.ts';
import { queryByPrefix } from './prefix-query.ts';
import { integrationKeys } from './keys.ts';
import type { LogWriter } from './log-writer.ts';

const strip = ({ PK: _pk, SK: _sk, entity: _e, ...rest }: Record<string, unknown>) => rest as IntegrationRecord;

/** Integrations and their writes; every write goes with its log event through the LogWriter transaction. */
export class DynamoIntegrationRegistry implements IntegrationRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly log: LogWriter,
  ) {}

  async get(tenantId: string, integrationId: string): Promise<IntegrationRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: integrationKeys.integration(tenantId, integrationId), ConsistentRead: true }));
    return Item ? strip(Item) : undefined;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<IntegrationRecord>> {
    return queryByPrefix(this.db, this.tables.main, integrationKeys.integration(tenantId, '').PK, integrationKeys.integrationPrefix, page, strip);
  }


  async create(integration: IntegrationRecord, entry: LogEntry): Promise<void> {
    await this.log.write(
      [
        { Put: { TableName: this.tables.main, Item: this.item(integration), ConditionExpression: 'attribute_not_exists(PK)' } },
        // The claim on the external ID: whichever integration writes it first owns it, across all tenants.
        {
          Put: {
            TableName: this.tables.main,
            Item: { ...integrationKeys.externalId(integration.externalId), entity: 'external-id', tenantId: integration.tenantId, integrationId: integration.integrationId },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
      [entry],
      (index) => (index === 0 ? new AlreadyExistsError('An integration with this id') : new ExternalIdTakenError()),
    );
  }

  async save(integration: IntegrationRecord, expectedVersion: number, entry: LogEntry): Promise<void> {
    await this.log.write(
      [
        {
          Put: {
            TableName: this.tables.main,
            Item: this.item(integration),
            // The external ID and the account are part of the condition: no code path may change them.
            ConditionExpression: 'version = :expected AND externalId = :externalId AND accountId = :accountId',
            ExpressionAttributeValues: { ':expected': expectedVersion, ':externalId': integration.externalId, ':accountId': integration.accountId },
          },
        },
      ],
      [entry],
      () => new ConcurrentModificationError('The integration'),
    );
  }

  private item(integration: IntegrationRecord) {
    return { ...integrationKeys.integration(integration.tenantId, integration.integrationId), entity: 'integration', ...integration };
  }
}
