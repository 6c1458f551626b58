import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError } from '../../kernel/errors.ts';
import type { LogEntry } from '../../grant-log/events.ts';
import type { ServicePrincipal } from '../../services/service.ts';
import type { Page, PageRequest } from '../../kernel/ports.ts';
import type { ServiceStore } from '../../services/ports.ts';
import { parseRoleArn } from '../../iam/arns.ts';
import type { Tables } from './client.ts';
import { queryByPrefix } from './prefix-query.ts';
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
        { Put: { TableName: this.tables.main, Item: { ...mainKeys.serviceRole(role.accountId, role.name), entity: 'service', ...service }, ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: this.tables.main, Item: { ...mainKeys.service(service.tenantId, service.roleArn), entity: 'service', ...service }, ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
      [entry],
      () => new AlreadyExistsError('A service principal for this IAM role'),
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
