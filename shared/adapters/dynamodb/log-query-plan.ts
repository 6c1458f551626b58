import type { LogFilter } from '../../audit/filter.ts';
import { logKeys } from './keys.ts';

/**
 * Which index serves a filter, and what is left for a FilterExpression.
 *
 * Each single filter has its own index (keys.ts). A combination is served by the
 * index of its most selective part, ranked without statistics by how many events
 * one key value usually holds: a requester's few < a target < an actor (the
 * system actor is in most events) < an action (18 values) < the tenant. The
 * rest is a FilterExpression on attributes the indexes project for it
 * (infra/tables.yml): DynamoDB reads (and bills) every index entry of the chosen
 * key range before filtering, so a page of a selective combination costs more
 * than one of a single filter. Target + database user is the target index
 * filtered: it had its own composite index (GSI4) until every event's index
 * writes were counted (docs/grant-log.md), and a target has few database users.
 * A database user alone (the same name on many targets) is the tenant index filtered.
 */
export type ResidualAttribute = 'requesterId' | 'targetId' | 'databaseUser' | 'actorId' | 'action';

export type LogQueryPlan = {
  index: string;
  partition: { name: string; value: string };
  /** What the FilterExpression compares: the filter's field, by the key that spells it where there is one (keys.ts stores such fields only there). */
  residual: { attribute: ResidualAttribute; name: string; value: string }[];
};

export const timeSortAttribute = 'ATSEQ';

/** The attribute (and value) an index entry holds a filter field as: the field's own key, or the field itself (databaseUser has no key). */
function spelled(tenantId: string, attribute: ResidualAttribute, value: string): { name: string; value: string } {
  switch (attribute) {
    case 'requesterId':
      return { name: 'GSI2PK', value: logKeys.byRequester(tenantId, value) };
    case 'targetId':
      return { name: 'GSI3PK', value: logKeys.byTarget(tenantId, value) };
    case 'actorId':
      return { name: 'GSI5PK', value: logKeys.byActor(tenantId, value) };
    case 'action':
      return { name: 'GSI6PK', value: logKeys.byAction(tenantId, value) };
    case 'databaseUser':
      return { name: 'databaseUser', value };
  }
}

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
      .map(([attribute, value]) => ({ attribute, ...spelled(tenantId, attribute, value!) }));

  // Checkpoints are only in the action index (keys.ts), and match no other filter (audit/filter.ts).
  if (action === 'log.checkpoint') {
    return { index: 'GSI6', partition: { name: 'GSI6PK', value: logKeys.byAction(tenantId, action) }, residual: rest('action') };
  }
  if (requesterId !== undefined) {
    return { index: 'GSI2', partition: { name: 'GSI2PK', value: logKeys.byRequester(tenantId, requesterId) }, residual: rest('requesterId') };
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
