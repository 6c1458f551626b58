import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError } from '../../kernel/errors.ts';
import type { LogEntry } from '../../grant-log/events.ts';
import type { ServicePrincipal } from '../../services/service.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { ServiceStore } from '../../services/ports.ts';
import { parseRoleArn } from '../../iam/arns.ts';
import type { Tables } from './client.ts';
import { queryByPrefix } from './prefix-query.ts';
import { returnWinner } from './items.ts';
import { mainKeys } from './keys.ts';
import type { LogWriter } from './log-writer.ts';

const strip = ({ PK: _pk, SK: _sk, entity: _e, ...rest }: Record<string, unknown>) => rest as ServicePrincipal;

export class DynamoServiceStore implements ServiceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
    private readonly log: LogWriter,
  ) {}

  async register(service: ServicePrincipal, entry: LogEntry): Promise<void> {
    const role = parseRoleArn(service.roleArn);
    await this.log.write(
      [
        // The role index item makes one IAM role belong to one tenant, whichever tenant asks first.
        // No ALL_OLD on it: the winner may be another tenant's, and must not come back to this one.
        { Put: { TableName: this.tables.main, Item: { ...mainKeys.serviceRole(role.accountId, role.name), entity: 'service', ...service }, ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: this.tables.main, Item: { ...mainKeys.service(service.tenantId, service.roleArn), entity: 'service', ...service }, ConditionExpression: 'attribute_not_exists(PK)', ...returnWinner } },
      ],
      [entry],
      (_i, winner) => new AlreadyExistsError('A service principal for this IAM role', { existingId: winner?.roleArn as string | undefined }),
    );
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<ServicePrincipal>> {
    return queryByPrefix(this.db, this.tables.main, mainKeys.tenant(tenantId), mainKeys.servicePrefix, page, strip);
  }


  async findByRole(accountId: string, roleName: string): Promise<ServicePrincipal | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.main, Key: mainKeys.serviceRole(accountId, roleName) }));
    return Item ? strip(Item) : undefined;
  }
}
