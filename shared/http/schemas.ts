import { z } from 'zod';
import { requestStatuses } from '../domain/access-request.ts';
import { databaseUserSchema, idSchema } from '../domain/target.ts';

// Wire schemas for paths, queries and bodies. Every field is bounded.
export const targetPath = z.object({ targetId: idSchema }).strict();
export const requestPath = z.object({ requestId: idSchema }).strict();

export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

export const listRequestsQuery = pageQuery
  .extend({
    view: z.enum(['mine', 'approvable', 'tenant']).default('mine'),
    status: z.enum(requestStatuses).optional(),
  })
  .strict();

const reason = z.string().trim().min(1).max(1000);

export const createRequestBody = z
  .object({
    targetId: idSchema,
    databaseUser: databaseUserSchema,
    durationMinutes: z.number().int().min(5).max(7 * 24 * 60),
    reason: reason.optional(),
  })
  .strict();

export const decisionBody = z.object({ note: reason.optional() }).strict();

export const extendBody = z
  .object({
    minutes: z.number().int().min(5).max(7 * 24 * 60),
    reason: reason.optional(),
  })
  .strict();
