import * as z from 'zod';
import { instantSchema, pageOf } from '../kernel/responses.ts';
import { serviceInputSchema } from './service.ts';

export const serviceSchema = serviceInputSchema
  .extend({ createdAt: instantSchema, createdBy: z.string() })
  .meta({ id: 'Service', description: 'A third-party service: an IAM role of another account, and what it may request.' });
export type ServiceDto = z.input<typeof serviceSchema>;

export const servicePageSchema = pageOf(serviceSchema, 'ServicePage');
