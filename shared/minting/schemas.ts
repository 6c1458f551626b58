import * as z from 'zod';

// POST /requests/{requestId}/credentials. Everything else about the issuance comes from the grant itself.
export const issueCredentialsBody = z
  .object({
    /** Ask for an SSM port-forwarding session through the target's bastion. */
    ssm: z
      .object({
        /** Where the tunnel listens on the caller's machine; the database's own port when omitted. */
        localPortNumber: z.number().int().min(1024).max(65535).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
