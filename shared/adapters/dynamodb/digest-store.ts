import { BatchGetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { CHAIN_COUNT, type ChainHeads, type SignedDigest } from '../../grant-log/index.ts';
import type { DigestStore } from '../../audit/ports.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { Tables } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { logKeys } from './keys.ts';

/**
 * Signed digests in the log table (keys.ts: PK T#tenant#DIGESTS, SK DG#at), put once with
 * attribute_not_exists, never updated: like events, a digest can only be added. The chain heads
 * they sign are read with one strongly consistent BatchGetItem of all CHAIN_COUNT heads.
 */
export class DynamoDigestStore implements DigestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Pick<Tables, 'log'>,
  ) {}

  async heads(tenantId: string): Promise<ChainHeads> {
    const keys = Array.from({ length: CHAIN_COUNT }, (_, chain) => logKeys.head(tenantId, chain));
    const heads: ChainHeads = [];
    let pending: Record<string, unknown>[] | undefined = keys;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 5) throw new Error('digest: chain heads left unread after retries');
      const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tables.log]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of out.Responses?.[this.tables.log] ?? []) heads.push({ chain: Number(String(item.PK).slice(-2)), seq: item.seq as number, hash: item.hash as string });
      pending = out.UnprocessedKeys?.[this.tables.log]?.Keys as Record<string, unknown>[] | undefined;
    }
    return heads.sort((a, b) => a.chain - b.chain);
  }

  async latest(tenantId: string): Promise<SignedDigest | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tables.log,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :dg)',
        ExpressionAttributeValues: { ':pk': logKeys.digests(tenantId), ':dg': logKeys.digestPrefix },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? digestOf(item) : undefined;
  }

  async append(digest: SignedDigest): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tables.log, Item: { ...logKeys.digest(digest.tenantId, digest.at), ...digest }, ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(tenantId: string, range: { from?: string; to?: string }, page: PageRequest): Promise<Page<SignedDigest>> {
    const pk = logKeys.digests(tenantId);
    const start = decodeCursor(page.cursor, { partition: { name: 'PK', value: pk }, keys: ['PK', 'SK'], prefixes: [{ name: 'SK', prefix: logKeys.digestPrefix }] });
    // `to` is exclusive: DG#<to> itself sorts after every earlier digest.
    const from = `${logKeys.digestPrefix}${range.from ?? ''}`;
    const to = `${logKeys.digestPrefix}${range.to ?? '\uffff'}`;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tables.log,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
        Limit: page.limit,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (out.Items ?? []).filter((item) => String(item.SK) < to).map(digestOf);
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }
}

function digestOf(item: Record<string, unknown>): SignedDigest {
  const { PK: _pk, SK: _sk, ...digest } = item;
  return digest as SignedDigest;
}
