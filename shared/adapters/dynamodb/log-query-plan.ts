import type { LogFilter } from '../../audit/filter.ts';
import { logKeys } from './keys.ts';

/**
 * Which index serves a filter, and what is left for a FilterExpression.
 *
 * Each single filter has its own index (keys.ts). A combination is served by the
 * index of its most selective part, ranked without statistics by how many events
 * one key value usually holds: a requester's few < a target's database user <
 * a target < an actor (the system actor is in most events) < an action (18
 * values) < the tenant. The rest is a FilterExpression: DynamoDB reads (and
 * bills) every event of the chosen key range before filtering, so a page of a
 * selective combination can cost more than one of a single filter. Target +
 * database user is the one combination common enough to get its own composite
 * key (GSI4), so it costs what a single filter costs; a database user alone
 * (the same name on many targets) is the tenant index filtered.
 */
export type ResidualAttribute = 'requesterId' | 'targetId' | 'databaseUser' | 'actorId' | 'action';

export type LogQueryPlan = {
  index: string;
  partition: { name: string; value: string };
  residual: { attribute: ResidualAttribute; value: string }[];
};

export const timeSortAttribute = 'ATSEQ';

export function planLogQuery(tenantId: string, filter: LogFilter): LogQueryPlan {
  const { requesterId, targetId, databaseUser, actorId, action } = filter;
  const rest = (...used: ResidualAttribute[]) =>
    (
      [
        ['requesterId', requesterId],
        ['targetId', targetId],
        ['databaseUser', databaseUser],
        ['actorId', actorId],
        ['action', action],
      ] as const
    )
      .filter(([attribute, value]) => value !== undefined && !used.includes(attribute))
      .map(([attribute, value]) => ({ attribute, value: value! }));

  if (requesterId !== undefined) {
    return { index: 'GSI2', partition: { name: 'GSI2PK', value: logKeys.byRequester(tenantId, requesterId) }, residual: rest('requesterId') };
  }
  if (targetId !== undefined && databaseUser !== undefined) {
    return {
      index: 'GSI4',
      partition: { name: 'GSI4PK', value: logKeys.byDatabaseUser(tenantId, targetId, databaseUser) },
      residual: rest('targetId', 'databaseUser'),
    };
  }
  if (targetId !== undefined) {
    return { index: 'GSI3', partition: { name: 'GSI3PK', value: logKeys.byTarget(tenantId, targetId) }, residual: rest('targetId') };
  }
  if (actorId !== undefined) {
    return { index: 'GSI5', partition: { name: 'GSI5PK', value: logKeys.byActor(tenantId, actorId) }, residual: rest('actorId') };
  }
  if (action !== undefined) {
    return { index: 'GSI6', partition: { name: 'GSI6PK', value: logKeys.byAction(tenantId, action) }, residual: rest('action') };
  }
  return { index: 'GSI7', partition: { name: 'GSI7PK', value: logKeys.tenant(tenantId) }, residual: rest() };
}
