import * as z from 'zod';
import { defaultClaimNames, type ClaimNames } from './kernel/principal.ts';
import { roleArnSchema } from './iam/arns.ts';

// Parsed once at module scope by each function: a wrong environment fails the
// cold start loudly instead of the first request quietly.
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

// A JWT claim name as an identity provider emits it: `tenant`, `cognito:groups`, `extension_…_tenant`, or an
// Auth0-style namespaced URL such as `https://latchkey.example/tenant`. The registered claims that API Gateway
// itself checks (issuer, audience, times, id) never carry who someone is, so naming one is a mistake.
const registeredClaims = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti']);
const claimName = (fallback: string) =>
  z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[\x21-\x7E]{1,256}$/, 'must be a claim name: 1 to 256 printable ASCII characters, no spaces')
      .refine((name) => !registeredClaims.has(name), 'names a registered claim (iss, aud, exp, nbf, iat, jti), which carries no identity')
      .default(fallback),
  );

const configSchema = z.object({
  MAIN_TABLE: z.string().min(3),
  LOG_TABLE: z.string().min(3),
  // Idempotency-Key records (shared/adapters/powertools/idempotency.ts); serverless.yml always sets it.
  IDEMPOTENCY_TABLE: z.string().min(3).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  // Endpoint overrides exist for the local stack only; unset in AWS.
  DYNAMODB_ENDPOINT: z.url().optional(),
  STS_ENDPOINT: z.url().optional(),
  SSM_ENDPOINT: z.url().optional(),
  KMS_ENDPOINT: z.url().optional(),
  // The grant-log digest key (serverless.yml DigestKey, its ARN): only the digest functions read it.
  DIGEST_KEY_ID: z.preprocess(emptyAsUnset, z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'must be a KMS key ARN').optional()),
  // Ending database sessions directly (docs/database-sessions.md): the CA bundle the databases' certificates chain
  // to (RDS: global-bundle.pem, shipped with the function; unset: Node's trust store). DB_HOSTADDR is for the
  // local stack only: dial it while verifying the certificate for the endpoint's name.
  DB_CA_BUNDLE: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  DB_HOSTADDR: z.preprocess(emptyAsUnset, z.union([z.ipv4(), z.ipv6()]).optional()),
  // Local stack only: its one process runs every handler, so the shared DynamoDB client
  // serves every concurrent request; a Lambda container serves one at a time and keeps
  // the SDK's default agent (50 sockets). Unset in AWS.
  AWS_SDK_MAX_SOCKETS: z.coerce.number().int().min(1).max(10_000).optional(),
  // The broker role customers trust (arn:aws:iam::ACCOUNT:role/NAME). Optional so that functions that never
  // emit a setup start without it; the setup answers `not_configured` when it is missing. Empty means unset.
  BROKER_ROLE_ARN: z.preprocess(
    emptyAsUnset,
    roleArnSchema.optional(),
  ),
  // The role every request-path function assumes per caller's tenant, tagged tenant=<id> (infra/iam.yml TenantDataRole).
  // Unset (in-process tests, bench baselines): the function's own credentials sign every DynamoDB call.
  TENANT_DATA_ROLE_ARN: z.preprocess(
    emptyAsUnset,
    z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN').optional(),
  ),
  // verify-integration only: a role of the broker's account that the broker may assume and no customer trusts
  // (infra/iam.yml TrustProbeRole). A customer role it can assume trusts more than the broker role. Empty means unset.
  TRUST_PROBE_ROLE_ARN: z.preprocess(emptyAsUnset, roleArnSchema.optional()),
  // HTTPS prefix (an Amazon S3 location: CloudFormation quick-create links only load templates from S3) where the
  // operator publishes the customer-role template; without it the setup has no quick-create link.
  SETUP_TEMPLATE_BASE_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https$/ }).optional()),
  // Which claims carry a person's subject, tenant, roles, groups and display name (serverless.yml params `claim*`).
  JWT_CLAIM_SUBJECT: claimName(defaultClaimNames.subject),
  JWT_CLAIM_TENANT: claimName(defaultClaimNames.tenant),
  JWT_CLAIM_ROLES: claimName(defaultClaimNames.roles),
  JWT_CLAIM_GROUPS: claimName(defaultClaimNames.groups),
  JWT_CLAIM_NAME: claimName(defaultClaimNames.displayName),
}).superRefine((env, ctx) => {
  // The subject and the tenant decide who someone is and whose data they reach: each must be a claim of its own.
  // Roles and groups may share one (an IdP whose groups are named after Latchkey's roles).
  const claims = { JWT_CLAIM_SUBJECT: env.JWT_CLAIM_SUBJECT, JWT_CLAIM_TENANT: env.JWT_CLAIM_TENANT, JWT_CLAIM_ROLES: env.JWT_CLAIM_ROLES, JWT_CLAIM_GROUPS: env.JWT_CLAIM_GROUPS, JWT_CLAIM_NAME: env.JWT_CLAIM_NAME };
  for (const key of ['JWT_CLAIM_SUBJECT', 'JWT_CLAIM_TENANT'] as const) {
    const same = Object.entries(claims).filter(([other, name]) => other !== key && name === claims[key]).map(([other]) => other);
    if (same.length > 0) ctx.addIssue({ code: 'custom', path: [key], message: `must name a claim of its own, not the one ${same.join(' and ')} names ("${claims[key]}")` });
  }
});

export type Config = z.infer<typeof configSchema>;

export function claimNamesOf(config: Config): ClaimNames {
  return { subject: config.JWT_CLAIM_SUBJECT, tenant: config.JWT_CLAIM_TENANT, roles: config.JWT_CLAIM_ROLES, groups: config.JWT_CLAIM_GROUPS, displayName: config.JWT_CLAIM_NAME };
}

/** `FIELD: the rule it breaks` for each issue (none of these settings is a secret). */
const describeIssues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

// Logging and metrics, apart from the rest: the logger is made before (and even without) the
// tables' settings, e.g. by the error mapper's tests. Powertools reads the same two names.
const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
const observabilitySchema = z.object({
  POWERTOOLS_SERVICE_NAME: z.preprocess(emptyAsUnset, z.string().min(1).max(128).default('latchkey')),
  POWERTOOLS_LOG_LEVEL: z.preprocess((value) => (typeof value === 'string' && value !== '' ? value.toUpperCase() : undefined), z.enum(logLevels).default('INFO')),
});

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

export function loadObservabilityConfig(env: NodeJS.ProcessEnv = process.env): ObservabilityConfig {
  const parsed = observabilitySchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

// Notifications (shared/notifications): the names of the secrets (never their values), who mail comes from, where
// the console is. The endpoint overrides and loopback webhooks exist for the local stack only.
const notificationSchema = z.object({
  SLACK_BOT_TOKEN_SECRET: z.string().min(1).max(512).default('latchkey/slack/bot-token'),
  SLACK_SIGNING_SECRET_SECRET: z.string().min(1).max(512).default('latchkey/slack/signing-secret'),
  WEBHOOK_KEY_SECRET: z.string().min(1).max(512).default('latchkey/webhooks/signing-key'),
  EMAIL_FROM: z.preprocess(emptyAsUnset, z.email().optional()),
  CONSOLE_URL: z.preprocess(emptyAsUnset, z.url().optional()),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  SLACK_API_URL: z.preprocess(emptyAsUnset, z.url().optional()),
  SES_ENDPOINT: z.preprocess(emptyAsUnset, z.url().optional()),
  SECRETS_ENDPOINT: z.preprocess(emptyAsUnset, z.url().optional()),
  WEBHOOK_ALLOW_LOOPBACK_HTTP: z.preprocess(emptyAsUnset, z.enum(['true', 'false']).default('false')),
});

export type NotificationConfig = z.infer<typeof notificationSchema>;

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const parsed = notificationSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
