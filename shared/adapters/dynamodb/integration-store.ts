import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Integration, IntegrationStatus, IntegrationStore } from '../../minting/ports.ts';
import type { Tables } from './client.ts';
import { mintingKeys } from './keys.ts';

const statuses: readonly IntegrationStatus[] = ['pending', 'verified', 'failed'];

/** Reads integrations; linking and verifying them (and so writing them) is the integrations use case's job. */
export class DynamoIntegrationStore implements IntegrationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async get(tenantId: string, integrationId: string): Promise<Integration | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.main, Key: mintingKeys.integration(tenantId, integrationId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    // Named fields only: whatever else the item holds (templates, history) is not minting's business.
    const status = statuses.includes(Item.status as IntegrationStatus) ? (Item.status as IntegrationStatus) : 'failed';
    const setupResources = (Item.setup as { resources?: unknown } | undefined)?.resources;
    return {
      integrationId: String(Item.integrationId ?? integrationId),
      tenantId: String(Item.tenantId ?? tenantId),
      accountId: String(Item.accountId ?? ''),
      roleArn: String(Item.roleArn ?? ''),
      externalId: String(Item.externalId ?? ''),
      status,
      ...(Array.isArray(setupResources) ? { setupResources: setupResources.map(String) } : {}),
    };
  }
}
