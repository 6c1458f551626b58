import * as z from 'zod';
import { slackChannelSchema } from '../targets/target.ts';

export const slackTeamIdSchema = z.string().regex(/^T[A-Z0-9]{2,20}$/, 'is not a Slack team id (T…)');
export const slackUserIdSchema = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'is not a Slack member id (U… or W…)');

export const settingsBody = z
  .object({
    slackTeamId: slackTeamIdSchema.optional(),
    /** Where break-glass grants are announced, besides the target's approver channels (docs/notifications.md). */
    securityChannel: slackChannelSchema.optional(),
    webhooks: z
      .array(z.object({ webhookId: z.string().regex(/^wh_[0-9a-f]{20}$/).optional(), url: z.url().max(2048) }).strict())
      .max(10)
      .default([]),
  })
  .strict();

export const contactBody = z.object({ email: z.email().max(254).optional(), slackUserId: slackUserIdSchema.optional() }).strict();

export const failuresQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }).strict();
