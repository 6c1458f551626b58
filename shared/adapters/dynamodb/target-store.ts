import { readerFor } from './item-reader.ts';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, ConcurrentModificationError } from '../../kernel/errors.ts';
import type { LogEntry } from '../../grant-log/events.ts';
import type { Target } from '../../targets/target.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { TargetStore } from '../../targets/ports.ts';
import type { Tables } from './client.ts';
import { queryByPrefix } from './prefix-query.ts';
import { returnWinner } from './items.ts';
import { mainKeys } from './keys.ts';
import type { LogWriter } from './log-writer.ts';

const strip = ({ PK: _pk, SK: _sk, entity: _e, ...rest }: Record<string, unknown>) => rest as Target;

export class DynamoTargetStore implements TargetStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly log: LogWriter,
  ) {}

  async get(tenantId: string, targetId: string): Promise<Target | undefined> {
    const item = await readerFor(this.db).get(this.tables.main, mainKeys.target(tenantId, targetId));
    return item ? strip(item) : undefined;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Target>> {
    return queryByPrefix(this.db, this.tables.main, mainKeys.tenant(tenantId), mainKeys.targetPrefix, page, strip);
  }


  async create(target: Target, entry: LogEntry): Promise<void> {
    await this.log.write(
      [{ Put: { TableName: this.tables.main, Item: this.item(target), ConditionExpression: 'attribute_not_exists(PK)', ...returnWinner } }],
      [entry],
      (_i, winner) => new AlreadyExistsError('A target with this id', { existingId: winner?.targetId as string | undefined }),
    );
  }

  async save(target: Target, expectedVersion: number, entry: LogEntry): Promise<void> {
    await this.log.write(
      [
        {
          Put: {
            TableName: this.tables.main,
            Item: this.item(target),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ...returnWinner,
          },
        },
      ],
      [entry],
      (_i, winner) => {
        const current = winner && strip(winner);
        return new ConcurrentModificationError('The target', current ? { current, currentVersion: current.version } : {});
      },
    );
  }

  private item(target: Target) {
    return { ...mainKeys.target(target.tenantId, target.targetId), entity: 'target', ...target };
  }
}
