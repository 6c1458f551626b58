import * as z from 'zod';
import { allRoles } from '../kernel/principal.ts';
import { idSchema } from '../kernel/schemas.ts';
import { CONTROL_DB_USER } from '../iam/index.ts';
import { maxTicketPatternLength } from './ticket-pattern.ts';

export const nameSchema = z.string().trim().min(1).max(128);
const principalRefSchema = z.string().min(1).max(256);
const groupSchema = z.string().min(1).max(128).regex(/^[\w.:@/+=-]+$/, 'has characters a group name cannot have');
// RDS database user names: letters, digits, underscores; must start with a letter (PostgreSQL and MySQL both accept this).
export const databaseUserSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'is not a valid database user name');

export const engines = ['postgres', 'mysql', 'mariadb'] as const;
export type Engine = (typeof engines)[number];

export const sessionAttributions = ['tagged'] as const;
export const sessionTerminationPaths = ['direct'] as const;
// Slack conversation ids: public (C…) or private (G…) channels; where the target's requests are posted.
export const slackChannelSchema = z.string().regex(/^[CG][A-Z0-9]{2,20}$/, 'is not a Slack channel id (C… or G…)');

/** Who hears about this target's requests (shared/notifications): Slack channels, approvers' DMs, email. */
export const notifySchema = z
  .object({
    slackChannels: z.array(slackChannelSchema).max(10).default([]),
    /** DM each approver the policy names by principal id who has linked Slack (groups cannot be enumerated). */
    dmApprovers: z.boolean().default(false),
    /** Email approvers (the addresses below and approvers named by id with an email on file) and the requester. */
    email: z.boolean().default(false),
    emailTo: z.array(z.email().max(254)).max(20).default([]),
  })
  .strict();
const namedListFields = {
  groups: z.array(groupSchema).max(50).default([]),
  principals: z.array(principalRefSchema).max(100).default([]),
};
const namesSomeone = (l: { groups: string[]; principals: string[] }) => l.groups.length + l.principals.length > 0;

/**
 * RE2 syntax, at most 200 characters. Whether RE2 accepts it is checked where a policy is
 * written (assertTicketPattern, ticket-pattern.ts), not here: that loads RE2, and this schema
 * is in every function's cold start.
 */
export const ticketPatternSchema = z.string().min(1).max(maxTicketPatternLength).meta({ description: 'RE2 syntax (no backreferences or lookaround); must not match the empty string.' });

/** Break-glass (docs/break-glass.md): who may open a grant at once, for how long at most, how many a day. */
export const breakGlassPolicySchema = z
  .object({
    ...namedListFields,
    maxDurationMinutes: z.number().int().min(5).max(240).default(60),
    /** Break-glass grants one person may open per UTC day, counted across the whole tenant (every target). */
    maxPerPersonPerDay: z.number().int().min(1).max(20).default(3),
  })
  .strict()
  .refine(namesSomeone, 'must name at least one group or principal who may break glass');
export type BreakGlassPolicy = z.infer<typeof breakGlassPolicySchema>;

/** How fresh a person's sign-in must be for one action: `auth_time` within maxAgeMinutes and/or an MFA method in `amr`. */
export const stepUpRuleSchema = z
  .object({
    maxAgeMinutes: z.number().int().min(1).max(24 * 60).optional(),
    mfa: z.boolean().default(false),
  })
  .strict()
  .refine((r) => r.maxAgeMinutes !== undefined || r.mfa, 'must ask for a recent sign-in (maxAgeMinutes), MFA (mfa: true) or both');
export type StepUpRule = z.infer<typeof stepUpRuleSchema>;

export const policySchema = z
  .object({
    /** Who may ask: anyone with the requester role, narrowed by groups or principal ids when given. */
    requesters: z
      .object({
        groups: z.array(groupSchema).max(50).default([]),
        principals: z.array(principalRefSchema).max(100).default([]),
      })
      .strict()
      .default({ groups: [], principals: [] }),
    /** Who may decide: approvers named here by principal id or group (and holding the approver role). */
    approvers: z
      .object({
        groups: z.array(groupSchema).max(50).default([]),
        principals: z.array(principalRefSchema).max(100).default([]),
      })
      .strict()
      .refine((a) => a.groups.length + a.principals.length > 0, 'must name at least one approver or group'),
    approvalsRequired: z.number().int().min(1).max(10).default(1),
    maxDurationMinutes: z.number().int().min(15).max(7 * 24 * 60),
    reasonRequired: z.boolean().default(true),
    /** How long a request may wait for a decision before it expires. */
    pendingTimeoutMinutes: z.number().int().min(5).max(7 * 24 * 60).default(24 * 60),
    autoApprove: z
      .array(
        z
          .object({
            databaseUser: databaseUserSchema,
            groups: z.array(groupSchema).max(50).default([]),
            principals: z.array(principalRefSchema).max(100).default([]),
          })
          .strict()
          .refine((r) => r.groups.length + r.principals.length > 0, 'must name the groups or principals it applies to'),
      )
      .max(20)
      .default([]),
    /**
     * Ending the grant's live database sessions on revoke and at window end (docs/database-sessions.md).
     * Absent: they stay open until the client closes them (the database checks the token only at connect).
     */
    sessions: z
      .object({
        /** `tagged`: every connection Latchkey prints names its grant (PostgreSQL application_name, MySQL/MariaDB a session variable). */
        attribution: z.enum(sessionAttributions).default('tagged'),
        /** `direct`: a function that reaches the database connects as its control user with an IAM token. */
        terminateVia: z.enum(sessionTerminationPaths).default('direct'),
      })
      .strict()
      .optional(),
    notify: notifySchema.default({ slackChannels: [], dmApprovers: false, email: false, emailTo: [] }),
    /** When set, a reason must carry a ticket reference this pattern matches (RE2 syntax); the match is kept as `ticket`. */
    ticketPattern: ticketPatternSchema.optional(),
    breakGlass: breakGlassPolicySchema.optional(),
    /** Fresh authentication for people approving and/or minting credentials (docs/step-up.md). */
    stepUp: z.object({ approve: stepUpRuleSchema.optional(), issue: stepUpRuleSchema.optional() }).strict().optional(),
  })
  .strict();
export type Policy = z.infer<typeof policySchema>;

/** The fields of a target as an admin writes them, before the cross-field rules below: the one source of both bodies. */
export const targetFields = z
  .object({
    name: nameSchema,
    engine: z.enum(engines),
    aurora: z.boolean().default(false),
    endpoint: z
      .string()
      .max(253)
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'is not a host name'),
    port: z.number().int().min(1150).max(65535),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'is not an AWS region'),
    accountId: z.string().regex(/^\d{12}$/, 'is not a 12-digit AWS account id'),
    /** DbiResourceId (`db-…`) or, for Aurora, DbClusterResourceId (`cluster-…`): what rds-db:connect names. */
    resourceId: z.string().regex(/^(db|cluster)-[A-Z0-9]{1,255}$/, 'is not an RDS resource id (db-… or cluster-…)'),
    databaseUsers: z.array(databaseUserSchema.refine((u) => u !== CONTROL_DB_USER, `${CONTROL_DB_USER} is the user Latchkey ends sessions as; it cannot be requested`)).min(1).max(50),
    bastionInstanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'is not an EC2 instance id').optional(),
    integrationId: idSchema.optional(),
    policy: policySchema,
  })
  .strict();

/** Lists a database user twice: refused by both bodies that take the list. */
export const hasDuplicates = (users: readonly string[]) => new Set(users).size !== users.length;

export const targetInputSchema = targetFields.superRefine((t, ctx) => {
  if (t.aurora !== t.resourceId.startsWith('cluster-')) {
    ctx.addIssue({ code: 'custom', path: ['resourceId'], message: 'Aurora targets use the cluster resource id (cluster-…); others the instance one (db-…)' });
  }
  if (hasDuplicates(t.databaseUsers)) {
    ctx.addIssue({ code: 'custom', path: ['databaseUsers'], message: 'lists a database user twice' });
  }
  t.policy.autoApprove.forEach((rule, i) => {
    if (!t.databaseUsers.includes(rule.databaseUser)) {
      ctx.addIssue({ code: 'custom', path: ['policy', 'autoApprove', i, 'databaseUser'], message: 'is not one of the target database users' });
    }
  });
});
export type TargetInput = z.infer<typeof targetInputSchema>;

export type Target = TargetInput & {
  tenantId: string;
  targetId: string;
  createdAt: string;
  createdBy: string;
  version: number;
};

export const roleListSchema = z.array(z.enum(allRoles));
