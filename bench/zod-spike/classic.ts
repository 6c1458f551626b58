import * as z from 'zod';

// The cold-start bench's zod spike (bench/cold-start.ts): the kernel and request wire schemas as the
// functions define them (shared/kernel/schemas.ts, shared/requests/schemas.ts), in zod's classic API.
// mini.ts is the same set in zod/mini; both parse the same body at import, as a handler's first call would.
const idSchema = z.string().regex(/^[a-z]{2,4}_[0-9A-Za-z]{10,40}$/, 'is not a valid id');
const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().min(1).max(2048).optional() }).strict();
const reason = z.string().trim().min(1).max(1000);
export const requestPath = z.object({ requestId: idSchema }).strict();
export const listRequestsQuery = pageQuery.extend({ view: z.enum(['mine', 'approvable', 'tenant']).default('mine'), status: z.enum(['pending', 'approved', 'denied']).optional() }).strict();
export const createRequestBody = z
  .object({ targetId: idSchema, databaseUser: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/), durationMinutes: z.number().int().min(5).max(7 * 24 * 60), reason: reason.optional() })
  .strict();
export const decisionBody = z.object({ note: reason.optional() }).strict();
export const parsed = createRequestBody.parse({ targetId: 'tgt_0123456789ab', databaseUser: 'app_ro', durationMinutes: 60, reason: 'bench' });
