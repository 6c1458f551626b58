import { chainOf } from '../../grant-log/index.ts';

// The one place that builds DynamoDB keys. Every partition key starts with the
// tenant (`T#…`) except the two identity lookups and the sweeper's index, which
// exist to find the tenant or to span tenants on purpose.
//
// Main table access patterns:
// | pattern                                  | key                                               |
// | target by id / targets of a tenant       | PK T#tenant, SK TARGET#id (begins_with TARGET#)   |
// | service by tenant                        | PK T#tenant, SK SERVICE#roleArn                    |
// | service by IAM role (identity)           | PK SVCROLE#account#roleName, SK SVCROLE            |
// | request by id                            | PK T#tenant, SK REQ#id                             |
// | requests of a requester, newest first    | GSI1 T#tenant#REQUESTER#kind#id / createdAt#id     |
// | requests of a tenant by status           | GSI2 T#tenant#STATUS#status / createdAt#id         |
// | requests due (sweeper), by day           | GSI3 DUE#yyyy-mm-dd / deadline#tenant#id           |
// | integration by id / a tenant's           | PK T#tenant, SK INTEGRATION#id (begins_with)       |
// | who holds an external ID (uniqueness)    | PK EXTID#externalId, SK EXTID                      |
// | SSM sessions started for one request     | PK T#tenant, SK begins_with REQ#requestId#SSM#     |
// | a tenant's notification settings         | PK T#tenant, SK NOTIFY#SETTINGS                    |
// | which tenant a Slack workspace serves    | PK SLACKTEAM#teamId, SK SLACKTEAM                  |
// | a person's contact / a Slack user's      | PK T#tenant, SK CONTACT#principalId / SLACKUSER#id |
// | one delivery of one event to one channel | PK T#tenant, SK DELIVERY#eventHash#channel         |
// | parked deliveries, oldest first          | PK T#tenant, SK begins_with PARKED#                |
// | a request's Slack messages               | PK T#tenant, SK begins_with SLACKPOST#requestId#   |
// | Slack signatures seen (replay guard)     | PK SLACKSIG#sha256, SK SLACKSIG (TTL)              |
// | refused unverifiable Slack calls, by day | PK SLACKREFUSED#yyyy-mm-dd, SK at#id (TTL)         |
// | unreviewed break-glass grants, newest    | PK T#tenant#BGOPEN, SK BGOPEN#createdAt#id         |
// | break-glass opened by a person on a day  | PK T#tenant, SK BGDAY#kind#id#yyyy-mm-dd (a count) |
//
// The EXTID item crosses tenants on purpose, like SVCROLE: it exists so that no
// two integrations of any tenants share an external ID; it is only ever written
// (a conditional Put), never read by a user request. SSM session items sort under
// their request (`REQ#id` < `REQ#id#SSM#…`) and carry no GSI attributes, so the
// request indexes never see them; request ids contain no `#`, so one request's
// prefix never matches another's. BGOPEN# items are markers (the request id only),
// put with a break-glass grant and deleted with its review in the same transactions,
// so the unreviewed list is a Query, never a filter over every request. They have a
// partition of their own so that IAM can allow DeleteItem on them and nothing else
// (TenantDataRole's DeleteReviewMarkers: LeadingKeys `T#<tenant>#BGOPEN`).
//
// Log table: a tenant's log is CHAIN_COUNT chains (shared/grant-log/chains.ts),
// each its own partition PK T#tenant#C#cc, events SK EV#seq (12 digits, per
// chain) and the chain's head SK HEAD. Every auditor filter is a Query on an
// index built for it (never a Scan). The filter indexes share one sort
// attribute, ATSEQ = at#cc#seq (ISO time, chain, 12-digit seq), so a time range
// is a BETWEEN on it and (chain, seq) breaks ties between equal times; sharing it
// costs one attribute per event instead of six.
// | pattern                                   | index | partition key                    | sort key |
// | chain walk (verify), seq order            | table | PK T#tenant#C#cc                 | SK EV#seq |
// | timeline of one request (one chain)       | GSI1  | GSI1PK T#tenant#REQ#id           | GSI1SK EV#seq |
// | events of a requester, by time            | GSI2  | GSI2PK T#tenant#RQR#requesterId  | ATSEQ |
// | events on a target (and a database user)  | GSI3  | GSI3PK T#tenant#TGT#targetId     | ATSEQ |
// | events by an actor (approver/admin/system)| GSI5  | GSI5PK T#tenant#ACT#actorId      | ATSEQ |
// | events of one action                      | GSI6  | GSI6PK T#tenant#ACN#action       | ATSEQ |
// | every event of a tenant, by time          | GSI7  | GSI7PK T#tenant                  | ATSEQ |
// | signed digests of a tenant, by time       | table | PK T#tenant#DIGESTS              | SK DG#at |
// | every chain of every tenant (digest job)  | GSI8  | HEADDIR HEADS                    | PK |
// GSI8 holds chain heads only (KEYS_ONLY). A head is rewritten on every event, but with the same
// HEADDIR and PK, so the index is written once per chain, when the head is created.
// Indexes are sparse: an event without a requester (target.created) is not in
// GSI2, HEAD items have no ATSEQ and are in none, a log.checkpoint is only in
// GSI6 (where verify finds the newest). Combinations use the most selective
// index and a FilterExpression (see log-query-plan.ts). No index holds whole
// events (infra/tables.yml): readers fetch a page's events by their table keys.
// There is no GSI4 any more: target + database user is GSI3 filtered.

export const mainKeys = {
  tenant: (tenantId: string) => `T#${tenantId}`,
  target: (tenantId: string, targetId: string) => ({ PK: `T#${tenantId}`, SK: `TARGET#${targetId}` }),
  targetPrefix: 'TARGET#',
  service: (tenantId: string, roleArn: string) => ({ PK: `T#${tenantId}`, SK: `SERVICE#${roleArn}` }),
  servicePrefix: 'SERVICE#',
  serviceRole: (accountId: string, roleName: string) => ({ PK: `SVCROLE#${accountId}#${roleName}`, SK: 'SVCROLE' }),
  request: (tenantId: string, requestId: string) => ({ PK: `T#${tenantId}`, SK: `REQ#${requestId}` }),
  // Keyed by kind too: ids are unique only within a kind (a person's sub could spell a service's role ARN).
  byRequester: (tenantId: string, kind: 'user' | 'service', requesterId: string) => `T#${tenantId}#REQUESTER#${kind}#${requesterId}`,
  byStatus: (tenantId: string, status: string) => `T#${tenantId}#STATUS#${status}`,
  createdSort: (createdAt: string, id: string) => `${createdAt}#${id}`,
  unreviewed: (tenantId: string, createdAt: string, requestId: string) => ({ PK: `T#${tenantId}#BGOPEN`, SK: `BGOPEN#${createdAt}#${requestId}` }),
  unreviewedPartition: (tenantId: string) => `T#${tenantId}#BGOPEN`,
  unreviewedPrefix: 'BGOPEN#',
  breakGlassDay: (tenantId: string, kind: 'user' | 'service', requesterId: string, day: string) => ({ PK: `T#${tenantId}`, SK: `BGDAY#${kind}#${requesterId}#${day}` }),
  dueBucket: (deadline: string) => `DUE#${deadline.slice(0, 10)}`,
  dueSort: (deadline: string, tenantId: string, requestId: string) => `${deadline}#${tenantId}#${requestId}`,
  // Notifications (shared/notifications). SLACKTEAM, SLACKSIG and SLACKREFUSED cross tenants on purpose: the first
  // finds the tenant of a Slack call, the other two exist before any tenant can be trusted.
  notifySettings: (tenantId: string) => ({ PK: `T#${tenantId}`, SK: 'NOTIFY#SETTINGS' }),
  slackTeam: (teamId: string) => ({ PK: `SLACKTEAM#${teamId}`, SK: 'SLACKTEAM' }),
  contact: (tenantId: string, principalId: string) => ({ PK: `T#${tenantId}`, SK: `CONTACT#${principalId}` }),
  slackUser: (tenantId: string, slackUserId: string) => ({ PK: `T#${tenantId}`, SK: `SLACKUSER#${slackUserId}` }),
  delivery: (tenantId: string, eventId: string, channel: string) => ({ PK: `T#${tenantId}`, SK: `DELIVERY#${eventId}#${channel}` }),
  parked: (tenantId: string, parkedAt: string, eventId: string, channel: string) => ({ PK: `T#${tenantId}`, SK: `PARKED#${parkedAt}#${eventId}#${channel}` }),
  parkedPrefix: 'PARKED#',
  slackPost: (tenantId: string, requestId: string, channel: string) => ({ PK: `T#${tenantId}`, SK: `SLACKPOST#${requestId}#${channel}` }),
  slackPostPrefix: (requestId: string) => `SLACKPOST#${requestId}#`,
  slackSignature: (digest: string) => ({ PK: `SLACKSIG#${digest}`, SK: 'SLACKSIG' }),
  slackRefused: (at: string, id: string) => ({ PK: `SLACKREFUSED#${at.slice(0, 10)}`, SK: `${at}#${id}` }),
} as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const logKeys = {
  tenant: (tenantId: string) => `T#${tenantId}`,
  chain: (tenantId: string, chain: number) => `T#${tenantId}#C#${pad(chain, 2)}`,
  head: (tenantId: string, chain: number) => ({ PK: logKeys.chain(tenantId, chain), SK: 'HEAD' }),
  /** Every head carries it: GSI8 (partition HEADDIR, sort PK) lists the chains, hence the tenants, without a Scan. */
  headDirectory: 'HEADS',
  event: (tenantId: string, chain: number, seq: number) => ({ PK: logKeys.chain(tenantId, chain), SK: `EV#${pad(seq, 12)}` }),
  eventPrefix: 'EV#',
  /** Signed digests of a tenant (shared/grant-log/digest.ts), by time: a partition of their own, beside the chains. */
  digests: (tenantId: string) => `T#${tenantId}#DIGESTS`,
  digest: (tenantId: string, at: string) => ({ PK: logKeys.digests(tenantId), SK: `DG#${at}` }),
  digestPrefix: 'DG#',
  requestTimeline: (tenantId: string, requestId: string) => `T#${tenantId}#REQ#${requestId}`,
  byRequester: (tenantId: string, requesterId: string) => `T#${tenantId}#RQR#${requesterId}`,
  byTarget: (tenantId: string, targetId: string) => `T#${tenantId}#TGT#${targetId}`,
  byActor: (tenantId: string, actorId: string) => `T#${tenantId}#ACT#${actorId}`,
  byAction: (tenantId: string, action: string) => `T#${tenantId}#ACN#${action}`,
  timeSort: (at: string, chain: number, seq: number) => `${at}#${pad(chain, 2)}#${pad(seq, 12)}`,
  /** Every key attribute an event item carries, derived from the event alone (so verify can recompute them). */
  indexes(e: LogIndexed): Record<string, string> {
    const t = e.tenantId;
    const chain = chainOf(e);
    const time = { ATSEQ: logKeys.timeSort(e.at, chain, e.seq), GSI6PK: logKeys.byAction(t, e.action) };
    // The log's own bookkeeping: verify reads the newest by action; no auditor filter lists it.
    if (e.action === 'log.checkpoint') return time;
    return {
      ...time,
      GSI5PK: logKeys.byActor(t, e.actorId),
      GSI7PK: logKeys.tenant(t),
      // The timeline sorts on the table's SK (EV#seq): a request's events are one chain.
      ...(e.requestId ? { GSI1PK: logKeys.requestTimeline(t, e.requestId) } : {}),
      ...(e.requesterId ? { GSI2PK: logKeys.byRequester(t, e.requesterId) } : {}),
      ...(e.targetId ? { GSI3PK: logKeys.byTarget(t, e.targetId) } : {}),
    };
  },
  /**
   * The keys events written by earlier versions carry: every event in GSI5 and GSI7,
   * GSI1SK (a copy of SK), and GSI4PK (target + database user, an index since
   * removed). Verify accepts an event keyed either way; the two agree on every key
   * still indexed except a checkpoint's GSI5PK/GSI7PK, which no filter needs.
   */
  legacyIndexes(e: LogIndexed): Record<string, string> {
    const t = e.tenantId;
    const chain = chainOf(e);
    return {
      ATSEQ: logKeys.timeSort(e.at, chain, e.seq),
      GSI5PK: logKeys.byActor(t, e.actorId),
      GSI6PK: logKeys.byAction(t, e.action),
      GSI7PK: logKeys.tenant(t),
      ...(e.requestId ? { GSI1PK: logKeys.requestTimeline(t, e.requestId), GSI1SK: logKeys.event(t, chain, e.seq).SK } : {}),
      ...(e.requesterId ? { GSI2PK: logKeys.byRequester(t, e.requesterId) } : {}),
      ...(e.targetId ? { GSI3PK: logKeys.byTarget(t, e.targetId) } : {}),
      ...(e.targetId && e.databaseUser ? { GSI4PK: `T#${t}#TGT#${e.targetId}#DBU#${e.databaseUser}` } : {}),
    };
  },
  /** Names of the attributes above plus the table keys: stripped when an item is read back as an event. */
  keyAttributes: ['PK', 'SK', 'ATSEQ', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI3PK', 'GSI4PK', 'GSI5PK', 'GSI6PK', 'GSI7PK'],
} as const;

/**
 * What an event field is stored as when a key already spells it: the key, once.
 * An item over 1 KB costs twice the write capacity in the table and in every
 * index, and these seven fields were most of an event's bytes a second time.
 */
const carried = [
  ['requestId', 'GSI1PK', logKeys.requestTimeline],
  ['requesterId', 'GSI2PK', logKeys.byRequester],
  ['targetId', 'GSI3PK', logKeys.byTarget],
  ['actorId', 'GSI5PK', logKeys.byActor],
  ['action', 'GSI6PK', logKeys.byAction],
] as const;
const chainPk = /^T#(.+)#C#\d{2}$/;
const atOf = /^(.+)#\d{2}#\d{12}$/;

/** The item an event is stored as: its keys, and the fields no key spells (tenantId is in PK, at in ATSEQ, …). */
export function logItemOf(event: LogIndexed & Record<string, unknown>): Record<string, unknown> {
  const keys = logKeys.indexes(event);
  const { tenantId: _t, at: _a, ...body } = event;
  for (const [field, key] of carried) if (keys[key] !== undefined) delete body[field];
  return { ...logKeys.event(event.tenantId, chainOf(event), event.seq), ...keys, ...body };
}

/**
 * An item back to the event it stores: fields from the keys that spell them
 * (a field stored as itself, as earlier versions wrote every one, wins), key
 * attributes removed. A key that does not parse restores nothing, and the event
 * then fails its hash: re-keying an event is tampering, and shows as such.
 */
export function logEventOf(item: Record<string, unknown>): Record<string, unknown> {
  const tenantId = (item.tenantId as string | undefined) ?? chainPk.exec(String(item.PK))?.[1];
  const restored: Record<string, unknown> = { tenantId, at: item.at ?? atOf.exec(String(item.ATSEQ))?.[1] };
  for (const [field, key, spell] of carried) {
    const value = item[key];
    const prefix = tenantId === undefined ? undefined : spell(tenantId, '');
    if (item[field] === undefined && typeof value === 'string' && prefix !== undefined && value.startsWith(prefix)) restored[field] = value.slice(prefix.length);
  }
  const event: Record<string, unknown> = {};
  // In the order the writers build an entry (events.ts), for whoever reads the JSON.
  for (const name of ['tenantId', 'at', 'action', 'actorId', 'actorKind', 'outcome', 'requestId', 'targetId', 'databaseUser', 'requesterId']) {
    const value = item[name] ?? restored[name];
    if (value !== undefined) event[name] = value;
  }
  for (const [name, value] of Object.entries(item)) if (!(name in event) && !(logKeys.keyAttributes as readonly string[]).includes(name)) event[name] = value;
  return event;
}

/** The fields of a log event its index keys are built from. */
export type LogIndexed = {
  tenantId: string;
  seq: number;
  at: string;
  actorId: string;
  action: string;
  requestId?: string;
  requesterId?: string;
  targetId?: string;
  databaseUser?: string;
};

export const mintingKeys = {
  integration: (tenantId: string, integrationId: string) => ({ PK: mainKeys.tenant(tenantId), SK: `INTEGRATION#${integrationId}` }),
  integrationPrefix: 'INTEGRATION#',
  ssmSession: (tenantId: string, requestId: string, sessionId: string) => ({ PK: mainKeys.tenant(tenantId), SK: `REQ#${requestId}#SSM#${sessionId}` }),
  ssmSessionPrefix: (requestId: string) => `REQ#${requestId}#SSM#`,
  /** The grant's database sessions to end (one item per grant), in GSI3's due index while due. */
  dbSessions: (tenantId: string, requestId: string) => ({ PK: mainKeys.tenant(tenantId), SK: `REQ#${requestId}#DBS` }),
} as const;

export const integrationKeys = {
  integration: mintingKeys.integration,
  integrationPrefix: mintingKeys.integrationPrefix,
  externalId: (externalId: string) => ({ PK: `EXTID#${externalId}`, SK: 'EXTID' }),
} as const;
