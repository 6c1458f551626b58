import * as z from 'zod';

// Parsed once at module scope by each function: a wrong environment fails the
// cold start loudly instead of the first request quietly.
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const configSchema = z.object({
  MAIN_TABLE: z.string().min(3),
  LOG_TABLE: z.string().min(3),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  // Endpoint overrides exist for the local stack only; unset in AWS.
  DYNAMODB_ENDPOINT: z.url().optional(),
  STS_ENDPOINT: z.url().optional(),
  SSM_ENDPOINT: z.url().optional(),
  // Local stack only: its one process runs every handler, so the shared DynamoDB client
  // serves every concurrent request; a Lambda container serves one at a time and keeps
  // the SDK's default agent (50 sockets). Unset in AWS.
  AWS_SDK_MAX_SOCKETS: z.coerce.number().int().min(1).max(10_000).optional(),
  // The broker role customers trust (arn:aws:iam::ACCOUNT:role/NAME). Optional so that functions that never
  // emit a setup start without it; the setup answers `not_configured` when it is missing. Empty means unset.
  BROKER_ROLE_ARN: z.preprocess(
    emptyAsUnset,
    z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN').optional(),
  ),
  // HTTPS prefix (an Amazon S3 location: CloudFormation quick-create links only load templates from S3) where the
  // operator publishes the customer-role template; without it the setup has no quick-create link.
  SETUP_TEMPLATE_BASE_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https$/ }).optional()),
});

export type Config = z.infer<typeof configSchema>;

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
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  return parsed.data;
}
