import * as z from 'zod/mini';

// classic.ts in zod/mini: the same schemas, checks as functions instead of methods.
const idSchema = z.string().check(z.regex(/^[a-z]{2,4}_[0-9A-Za-z]{10,40}$/, 'is not a valid id'));
const pageQuery = z.strictObject({ limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25), cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))) });
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(1000));
export const requestPath = z.strictObject({ requestId: idSchema });
export const listRequestsQuery = z.extend(pageQuery, { view: z._default(z.enum(['mine', 'approvable', 'tenant']), 'mine'), status: z.optional(z.enum(['pending', 'approved', 'denied'])) });
export const createRequestBody = z.strictObject({
  targetId: idSchema,
  databaseUser: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/)),
  durationMinutes: z.number().check(z.int(), z.gte(5), z.lte(7 * 24 * 60)),
  reason: z.optional(reason),
});
export const decisionBody = z.strictObject({ note: z.optional(reason) });
export const parsed = createRequestBody.parse({ targetId: 'tgt_0123456789ab', databaseUser: 'app_ro', durationMinutes: 60, reason: 'bench' });
