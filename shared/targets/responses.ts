import * as z from 'zod';
import { pageOf } from '../kernel/responses.ts';
import { instantSchema } from '../kernel/responses.ts';
import { targetInputSchema } from './target.ts';

/** A target as the API answers it: what was registered (defaults filled in) and who registered it; the tenant is the caller's. */
export const targetSchema = targetInputSchema
  .safeExtend({
    targetId: z.string(),
    createdAt: instantSchema,
    createdBy: z.string(),
    version: z.number().int().meta({ description: 'Bumped by every change (a policy change restarts approvals).' }),
  })
  .meta({ id: 'Target' });
export type TargetDto = z.input<typeof targetSchema>;

export const targetPageSchema = pageOf(targetSchema, 'TargetPage');
