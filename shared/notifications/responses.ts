import * as z from 'zod';
import { instantSchema } from '../kernel/responses.ts';
import { allRoles } from '../kernel/principal.ts';

// What notifications' routes answer (the OpenAPI document renders these; e2e answers are checked against it).

export const notificationSettingsSchema = z
  .object({
    slackTeamId: z.string().optional().meta({ description: "The Slack workspace whose members act for this tenant (Slack's team id)." }),
    securityChannel: z.string().optional().meta({ description: 'The Slack channel every break-glass grant is announced in, at once and without buttons.' }),
    webhooks: z.array(
      z
        .object({
          webhookId: z.string(),
          url: z.string(),
          secret: z.string().meta({ description: 'What its `Latchkey-Signature` headers are made with (docs/notifications.md). Admins only.' }),
        })
        .strict(),
    ),
    version: z.number().int().meta({ description: '0 until the settings are first written.' }),
  })
  .strict()
  .meta({ id: 'NotificationSettings' });

export const parkedDeliverySchema = z
  .object({
    tenantId: z.string(),
    eventId: z.string().meta({ description: 'The grant-log event (its hash) that was to be delivered.' }),
    channel: z.string().meta({ description: '`slack:C…`, `update:C…`, `dm:U…`, `email:address` or `webhook:wh_…`.' }),
    action: z.string(),
    requestId: z.string().optional(),
    attempts: z.number().int(),
    lastError: z.string(),
    parkedAt: instantSchema,
  })
  .strict()
  .meta({ id: 'ParkedDelivery' });

export const parkedPageSchema = z.object({ items: z.array(parkedDeliverySchema) }).strict().meta({ id: 'ParkedDeliveries' });

export const contactSchema = z
  .object({
    principalId: z.string(),
    email: z.string().optional(),
    slackUserId: z.string().optional(),
    slackConfirmed: z.boolean().optional().meta({ description: 'True once the Slack user clicked the Confirm button Latchkey sent them; until then their clicks act as nobody.' }),
    roles: z.array(z.enum(allRoles)).meta({ description: 'The roles Slack clicks act with until `expiresAt` (a snapshot of the token that linked).' }),
    groups: z.array(z.string()),
    linkedAt: instantSchema,
    expiresAt: instantSchema,
  })
  .strict()
  .meta({ id: 'Contact' });

export const interactionResultSchema = z
  .object({
    outcome: z.enum(['refused', 'approved', 'denied', 'linked']),
    reason: z.string().optional(),
    requestId: z.string().optional(),
    status: z.string().optional(),
    principalId: z.string().optional(),
  })
  .strict()
  .meta({ id: 'SlackInteractionResult' });
