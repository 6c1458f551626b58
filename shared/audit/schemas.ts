import * as z from 'zod';
import { CHAIN_COUNT, LogAction } from '../grant-log/index.ts';
import type { LogFilter } from './filter.ts';
import { databaseUserSchema } from '../targets/index.ts';
import { idSchema, pageQuery } from '../kernel/schemas.ts';
import { requestPath } from '../requests/index.ts';

// Wire schemas of the auditor API. Every field is bounded; instants are ISO 8601
// with an offset, normalized to UTC before they reach a key.

const logActions = Object.values(LogAction) as [LogAction, ...LogAction[]];
/** A principal id as resolve-principal makes them: a JWT `sub` (≤ 256) or an IAM role ARN. */
const principalId = z.string().min(1).max(256);
const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

const filterFields = {
  requester: principalId.optional(),
  target: idSchema.optional(),
  databaseUser: databaseUserSchema.optional(),
  actor: principalId.optional(),
  action: z.enum(logActions).optional(),
  from: instant.optional(),
  to: instant.optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
};

const rangeInOrder = (q: { from?: string; to?: string }) => q.from === undefined || q.to === undefined || q.from < q.to;
const rangeIssue = { message: '`from` must be before `to`.', path: ['from'] };

export const listEventsQuery = pageQuery.extend(filterFields).strict().refine(rangeInOrder, rangeIssue);

export const exportEventsQuery = pageQuery
  .extend({
    ...filterFields,
    format: z.enum(['csv', 'ndjson']).default('csv'),
    // Bigger pages than the list: an export page is lines, and fewer round trips matter more.
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict()
  .refine(rangeInOrder, rangeIssue);

export const timelineQuery = pageQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(100) }).strict();
export const timelinePath = requestPath;

export const verifyQuery = z
  .object({
    fromChain: z.coerce.number().int().min(0).max(CHAIN_COUNT - 1).default(0),
    fromSeq: z.coerce.number().int().min(1).max(1e12).default(1),
    limit: z.coerce.number().int().min(1).max(100_000).default(20_000),
  })
  .strict();

export const accessSummaryQuery = z
  .object({ from: instant.optional(), to: instant.optional(), target: idSchema.optional() })
  .strict()
  .refine(rangeInOrder, rangeIssue);

/** Wire names (short, as an auditor types them) to the domain filter. */
export function toLogFilter(q: z.infer<typeof listEventsQuery> | z.infer<typeof exportEventsQuery>): LogFilter {
  return {
    order: q.order,
    ...(q.requester !== undefined ? { requesterId: q.requester } : {}),
    ...(q.target !== undefined ? { targetId: q.target } : {}),
    ...(q.databaseUser !== undefined ? { databaseUser: q.databaseUser } : {}),
    ...(q.actor !== undefined ? { actorId: q.actor } : {}),
    ...(q.action !== undefined ? { action: q.action } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
  };
}
