import * as z from 'zod';
import { requestStatuses, ReviewOutcome, type ReviewOutcome as Outcome } from './access-request.ts';
import { idSchema, pageQuery } from '../kernel/schemas.ts';
import { databaseUserSchema } from '../targets/index.ts';

// Wire schemas for paths, queries and bodies. Every field is bounded.
export const requestPath = z.object({ requestId: idSchema }).strict();


export const listRequestsQuery = pageQuery
  .extend({
    view: z.enum(['mine', 'approvable', 'tenant', 'unreviewed']).default('mine'),
    status: z.enum(requestStatuses).optional(),
  })
  .strict();

const reviewOutcomes = Object.values(ReviewOutcome) as [Outcome, ...Outcome[]];
const reason = z.string().trim().min(1).max(1000);

export const createRequestBody = z
  .object({
    targetId: idSchema,
    databaseUser: databaseUserSchema,
    durationMinutes: z.number().int().min(5).max(7 * 24 * 60),
    reason: reason.optional(),
    breakGlass: z.boolean().optional().meta({ description: "Open the grant at once under the target's break-glass rule (docs/break-glass.md); it must be reviewed afterwards." }),
  })
  .strict();

export const reviewBody = z
  .object({
    outcome: z.enum(reviewOutcomes),
    note: reason,
  })
  .strict();

export const decisionBody = z.object({ note: reason.optional() }).strict();

export const extendBody = z
  .object({
    minutes: z.number().int().min(5).max(7 * 24 * 60),
    reason: reason.optional(),
  })
  .strict();
