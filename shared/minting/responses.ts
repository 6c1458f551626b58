import * as z from 'zod';
import { instantSchema, type Conforms } from '../kernel/responses.ts';
import type { IssuedCredentials } from './issue-credentials.ts';

const notes = z.array(z.string());

/** Credentials for an open grant. The body holds the RDS token (and the SSM TokenValue): it is sent with cache-control no-store. */
export const issuedCredentialsSchema = z
  .object({
    requestId: z.string(),
    issuedAt: instantSchema,
    windowEnd: instantSchema,
    audit: z
      .object({ assumedRoleId: z.string(), sessionName: z.string(), sourceIdentity: z.string(), ssmSessionId: z.string().optional() })
      .strict()
      .meta({ description: "What the customer's CloudTrail shows for this issuance." }),
    database: z
      .object({
        engine: z.enum(['postgres', 'mysql', 'mariadb']),
        host: z.string(),
        port: z.number().int(),
        user: z.string(),
        token: z.string().meta({ description: 'The RDS IAM auth token: the password for connections opened before `expiresAt`.' }),
        expiresAt: instantSchema,
        sslmode: z.literal('verify-full'),
        caBundleUrl: z.string(),
        command: z.string().meta({ description: 'Reads the token from $LATCHKEY_DB_TOKEN; never contains it.' }),
        sessionTag: z.string().optional().meta({ description: "Set when the target's policy ends the grant's sessions: the tag `command` gives its connections (PostgreSQL application_name; MySQL/MariaDB @latchkey_grant)." }),
        notes,
      })
      .strict(),
    ssm: z
      .object({
        sessionId: z.string(),
        streamUrl: z.string(),
        tokenValue: z.string(),
        localPortNumber: z.number().int(),
        pluginCommand: z.string(),
        pluginCommandLegacy: z.string(),
        hostsEntry: z.string(),
        command: z.string(),
        notes,
      })
      .strict()
      .optional()
      .meta({ description: 'The SSM port-forwarding session, when one was asked for.' }),
  })
  .strict()
  .meta({ id: 'IssuedCredentials' });

export type IssuedCredentialsCheck = Conforms<IssuedCredentials, z.input<typeof issuedCredentialsSchema>>;
