import * as z from 'zod';
import { instantSchema, pageOf } from '../kernel/responses.ts';

const decisionSchema = z
  .object({
    approverId: z.string(),
    at: instantSchema,
    note: z.string().optional(),
    policyVersion: z.number().int().optional().meta({ description: "The target's version when the decision was made; only current-version approvals count." }),
  })
  .strict()
  .meta({ id: 'Decision' });

const extensionSchema = z
  .object({ minutes: z.number().int(), reason: z.string().optional(), requestedAt: instantSchema, approvals: z.array(decisionSchema) })
  .strict()
  .meta({ id: 'Extension' });

const breakGlassSchema = z
  .object({
    openedAt: instantSchema,
    review: z
      .object({ reviewerId: z.string(), at: instantSchema, outcome: z.enum(['acknowledged', 'escalated']), note: z.string() })
      .strict()
      .optional()
      .meta({ description: 'Absent until an approver reviews the grant.' }),
  })
  .strict()
  .meta({ id: 'BreakGlass', description: 'Present on a grant opened at once under the break-glass rule.' });

const base = {
  requestId: z.string(),
  targetId: z.string(),
  databaseUser: z.string(),
  requesterId: z.string(),
  requesterKind: z.enum(['user', 'service']),
  reason: z.string().optional(),
  ticket: z.string().optional().meta({ description: "The ticket reference the target's ticketPattern found in the reason." }),
  breakGlass: breakGlassSchema.optional(),
  durationMinutes: z.number().int(),
  createdAt: instantSchema,
  version: z.number().int().meta({ description: 'Bumped by every write.' }),
};
const approvals = z.array(decisionSchema);
const granted = {
  approvals,
  approvedAt: instantSchema,
  windowStart: instantSchema,
  windowEnd: instantSchema,
  extensions: z.array(extensionSchema).meta({ description: 'Extensions granted so far, oldest first.' }),
};

const revokedRequest = z.object({ ...base, ...granted, status: z.literal('revoked'), revokedBy: z.string(), revokedAt: instantSchema, note: z.string().optional() }).strict();

/** An access request in each of its states (`status` tells them apart); the tenant is the caller's. */
export const accessRequestSchema = z
  .discriminatedUnion('status', [
    z.object({ ...base, status: z.literal('pending'), approvals, decideBy: instantSchema }).strict(),
    z.object({ ...base, ...granted, status: z.literal('approved'), pendingExtension: extensionSchema.optional() }).strict(),
    z.object({ ...base, status: z.literal('denied'), approvals, deniedBy: z.string(), deniedAt: instantSchema, note: z.string().optional() }).strict(),
    z.object({ ...base, status: z.literal('cancelled'), cancelledAt: instantSchema }).strict(),
    z.object({ ...base, status: z.literal('expired'), expiredAt: instantSchema, approvals: approvals.optional().meta({ description: 'The approvals recorded before it expired (a quorum not reached).' }) }).strict(),
    revokedRequest,
    z.object({ ...base, ...granted, status: z.literal('ended'), endedAt: instantSchema }).strict(),
  ])
  .meta({ id: 'AccessRequest', description: 'pending → approved → ended; pending → denied | cancelled | expired; approved → revoked.' });
export type RequestDto = z.input<typeof accessRequestSchema>;

export const requestPageSchema = pageOf(accessRequestSchema, 'AccessRequestPage');

/** POST /requests/{requestId}/revoke: the revoked request and what became of its SSM sessions. */
export const revokedGrantSchema = revokedRequest
  .extend({
    terminatedSessions: z.array(z.string()).meta({ description: 'The SSM sessions ended through the customer role.' }),
    failedSessions: z.array(z.object({ sessionId: z.string(), error: z.string().meta({ description: 'The AWS error code.' }) }).strict()),
  })
  .meta({ id: 'RevokedGrant' });
