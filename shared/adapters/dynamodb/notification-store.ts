import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, ConcurrentModificationError } from '../../kernel/errors.ts';
import type {
  Contact,
  ContactStore,
  DeliveryKey,
  DeliveryLedger,
  InteractionGuard,
  NotificationSettings,
  NotificationSettingsStore,
  ParkedDelivery,
  UnverifiedRefusal,
} from '../../notifications/index.ts';
import type { Tables } from './client.ts';
import { withoutKeys } from './items.ts';
import { mainKeys } from './keys.ts';

// The items of notifications in the main table (keys.ts has the access patterns). None is part of a request's
// state: losing one costs at most a duplicate or a missed message, never a decision.

const keyAttributes = ['PK', 'SK', 'entity', 'ttl'] as const;
const isConditionFailure = (error: unknown) => ['ConditionalCheckFailedException', 'TransactionCanceledException'].includes((error as { name?: string }).name ?? '');
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export class DynamoNotificationSettingsStore implements NotificationSettingsStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tables: Tables) {}

  async get(tenantId: string): Promise<NotificationSettings | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: mainKeys.notifySettings(tenantId), ConsistentRead: true }));
    return Item ? withoutKeys<NotificationSettings>(Item, keyAttributes) : undefined;
  }

  async put(settings: NotificationSettings, expectedVersion: number, previousTeamId?: string): Promise<void> {
    const { main } = this.tables;
    const team = settings.slackTeamId;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: main,
          Item: { ...mainKeys.notifySettings(settings.tenantId), entity: 'notify-settings', ...settings },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(PK)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        },
      },
    ];
    if (team && team !== previousTeamId) {
      items.push({
        Put: {
          TableName: main,
          Item: { ...mainKeys.slackTeam(team), entity: 'slack-team', tenantId: settings.tenantId },
          ConditionExpression: 'attribute_not_exists(PK) OR tenantId = :t',
          ExpressionAttributeValues: { ':t': settings.tenantId },
        },
      });
    }
    if (previousTeamId && previousTeamId !== team) {
      items.push({ Delete: { TableName: main, Key: mainKeys.slackTeam(previousTeamId), ConditionExpression: 'tenantId = :t', ExpressionAttributeValues: { ':t': settings.tenantId } } });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[1]?.Code === 'ConditionalCheckFailed' && team && team !== previousTeamId) throw new AlreadyExistsError('A tenant for this Slack workspace');
      throw new ConcurrentModificationError('The notification settings', { cause: error });
    }
  }

  async tenantOfTeam(teamId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: mainKeys.slackTeam(teamId), ConsistentRead: true }));
    return Item?.tenantId as string | undefined;
  }
}

export class DynamoContactStore implements ContactStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tables: Tables) {}

  async get(tenantId: string, principalId: string): Promise<Contact | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: mainKeys.contact(tenantId, principalId), ConsistentRead: true }));
    return Item ? withoutKeys<Contact>(Item, keyAttributes) : undefined;
  }

  async put(contact: Contact): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tables.main, Item: { ...mainKeys.contact(contact.tenantId, contact.principal.id), entity: 'contact', ...contact } }));
  }

  async bySlackUser(tenantId: string, slackUserId: string): Promise<Contact | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: mainKeys.slackUser(tenantId, slackUserId), ConsistentRead: true }));
    const contact = Item ? await this.get(tenantId, String(Item.principalId)) : undefined;
    // The contact must still name this Slack user, confirmed: a re-link to another Slack user ends the old one.
    return contact?.slackUserId === slackUserId && contact.slackConfirmedAt ? contact : undefined;
  }

  async confirmSlack(tenantId: string, principalId: string, nonce: string, slackUserId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.main,
                Key: mainKeys.contact(tenantId, principalId),
                UpdateExpression: 'SET slackConfirmedAt = :at REMOVE slackNonce',
                ConditionExpression: 'slackNonce = :n AND slackUserId = :u',
                ExpressionAttributeValues: { ':at': at, ':n': nonce, ':u': slackUserId },
              },
            },
            { Put: { TableName: this.tables.main, Item: { ...mainKeys.slackUser(tenantId, slackUserId), entity: 'slack-user', principalId, confirmedAt: at } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tables: Tables) {}

  async settled(key: DeliveryKey): Promise<'sent' | 'parked' | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: this.key(key), ConsistentRead: true }));
    const status = Item?.status;
    return status === 'sent' || status === 'parked' ? status : undefined;
  }

  async markSent(key: DeliveryKey, at: string): Promise<void> {
    await this.db.send(new UpdateCommand({ TableName: this.tables.main, Key: this.key(key), UpdateExpression: 'SET #s = :s, sentAt = :at, entity = :e', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'sent', ':at': at, ':e': 'delivery' } }));
  }

  async recordFailure(key: DeliveryKey, error: string, at: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tables.main,
        Key: this.key(key),
        UpdateExpression: 'SET #s = :s, lastError = :err, failedAt = :at, entity = :e ADD attempts :one',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'failing', ':err': error, ':at': at, ':one': 1, ':e': 'delivery' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(Attributes?.attempts ?? 1);
  }

  async park(delivery: ParkedDelivery): Promise<void> {
    const { tenantId, eventId, channel, parkedAt } = delivery;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: this.tables.main, Key: this.key(delivery), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'parked' } } },
          { Put: { TableName: this.tables.main, Item: { ...mainKeys.parked(tenantId, parkedAt, eventId, channel), entity: 'parked-delivery', ...delivery } } },
        ],
      }),
    );
  }

  async listParked(tenantId: string, limit: number): Promise<ParkedDelivery[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.main,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': mainKeys.tenant(tenantId), ':p': mainKeys.parkedPrefix },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => withoutKeys<ParkedDelivery>(item, keyAttributes));
  }

  async slackPosts(tenantId: string, requestId: string): Promise<{ channel: string; ts: string }[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.main,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': mainKeys.tenant(tenantId), ':p': mainKeys.slackPostPrefix(requestId) },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map((item) => ({ channel: String(item.channel), ts: String(item.ts) }));
  }

  async recordSlackPost(tenantId: string, requestId: string, post: { channel: string; ts: string }): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tables.main, Item: { ...mainKeys.slackPost(tenantId, requestId, post.channel), entity: 'slack-post', ...post } }));
  }

  private key(key: DeliveryKey) {
    return mainKeys.delivery(key.tenantId, key.eventId, key.channel);
  }
}

export class DynamoInteractionGuard implements InteractionGuard {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tables: Tables, private readonly retentionDays = 30) {}

  async firstUse(signatureDigest: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tables.main,
          Item: { ...mainKeys.slackSignature(signatureDigest), entity: 'slack-signature', ttl: epochSeconds(expiresAt) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordUnverified(refusal: UnverifiedRefusal): Promise<void> {
    const expires = new Date(Date.parse(refusal.at) + this.retentionDays * 86_400_000);
    await this.db.send(new PutCommand({ TableName: this.tables.main, Item: { ...mainKeys.slackRefused(refusal.at, randomUUID()), entity: 'slack-refused', ...refusal, ttl: epochSeconds(expires) } }));
  }
}
