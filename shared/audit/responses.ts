import * as z from 'zod';
import { LogAction } from '../grant-log/index.ts';
import { instantSchema, pageOf, type Conforms } from '../kernel/responses.ts';
import type { LogEvent } from '../grant-log/index.ts';
import type { AccessSummary } from './access-summary.ts';
import type { VerifyReport } from './verify-log.ts';

const logActions = Object.values(LogAction) as [LogAction, ...LogAction[]];

/** A grant-log event, whole (tenantId included): every field is hashed, and an auditor re-hashing it needs all of it. */
export const logEventSchema = z
  .object({
    tenantId: z.string(),
    at: instantSchema,
    action: z.enum(logActions),
    actorId: z.string(),
    actorKind: z.enum(['user', 'service', 'system']),
    outcome: z.enum(['success', 'failure']),
    requestId: z.string().optional(),
    targetId: z.string().optional(),
    databaseUser: z.string().optional(),
    requesterId: z.string().optional(),
    ticket: z.string().optional().meta({ description: "The request's ticket reference (its target's ticketPattern), on request.created." }),
    breakGlass: z.literal(true).optional().meta({ description: 'On every event of a break-glass request.' }),
    details: z.record(z.string(), z.unknown()).optional().meta({ description: 'What the action recorded; never a token, key or session token.' }),
    seq: z.number().int().meta({ description: 'The position in its hash chain.' }),
    prevHash: z.string(),
    hash: z.string().meta({ description: 'sha256 of the canonical JSON of the event without `hash`.' }),
  })
  .strict()
  .meta({ id: 'LogEvent' });
export const logEventPageSchema = pageOf(logEventSchema, 'LogEventPage');

export const verifyReportSchema = z
  .object({
    ok: z.boolean(),
    chains: z.number().int().meta({ description: "How many chains the tenant's log has." }),
    checked: z.number().int().meta({ description: 'How many events this call checked and linked.' }),
    complete: z.boolean().meta({ description: 'False when `limit` stopped the walk before the end: call again from `next`.' }),
    next: z.object({ chain: z.number().int(), seq: z.number().int() }).strict().optional(),
    checkpoint: z.object({ at: instantSchema }).strict().optional().meta({ description: 'The checkpoint every chain was checked against (the newest).' }),
    brokenLink: z
      .object({ chain: z.number().int(), seq: z.number().int(), kind: z.enum(['modified', 'deleted', 'inserted']), message: z.string() })
      .strict()
      .optional()
      .meta({ description: 'The first broken link: a finding, not a failed call.' }),
  })
  .strict()
  .meta({ id: 'VerifyReport' });

export const accessSummarySchema = z
  .object({
    at: instantSchema,
    activeGrants: z.array(
      z
        .object({ requestId: z.string(), requesterId: z.string(), targetId: z.string(), databaseUser: z.string(), windowStart: instantSchema, windowEnd: instantSchema })
        .strict(),
    ),
    range: z.object({ from: instantSchema, to: instantSchema }).strict(),
    history: z.array(
      z
        .object({
          targetId: z.string(),
          databaseUser: z.string(),
          requesters: z.array(z.object({ requesterId: z.string(), grants: z.number().int(), issuances: z.number().int(), lastAt: instantSchema }).strict()),
        })
        .strict(),
    ),
    truncated: z.boolean().meta({ description: 'True when a cap stopped a read: the summary is a lower bound, use the export for the full list.' }),
  })
  .strict()
  .meta({ id: 'AccessSummary' });

export type LogEventCheck = Conforms<LogEvent, z.input<typeof logEventSchema>>;
export type VerifyReportCheck = Conforms<VerifyReport, z.input<typeof verifyReportSchema>>;
export type AccessSummaryCheck = Conforms<AccessSummary, z.input<typeof accessSummarySchema>>;
