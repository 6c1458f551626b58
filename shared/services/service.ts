import * as z from 'zod';
import { idSchema } from '../kernel/schemas.ts';
import { roleArnSchema } from '../iam/index.ts';
import { databaseUserSchema, nameSchema } from '../targets/index.ts';

// A third-party service: an IAM role of another account, registered by a tenant admin.
export const serviceInputSchema = z
  .object({
    /** The third party's IAM role; calls signed by a session of this role resolve to this service. */
    roleArn: roleArnSchema,
    name: nameSchema,
    access: z
      .array(z.object({ targetId: idSchema, databaseUsers: z.array(databaseUserSchema).min(1).max(50) }).strict())
      .min(1)
      .max(50),
    autoApprove: z.boolean().default(false),
  })
  .strict();
export type ServiceInput = z.infer<typeof serviceInputSchema>;
export type ServicePrincipal = ServiceInput & { tenantId: string; createdAt: string; createdBy: string };
