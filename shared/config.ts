import { z } from 'zod';

// Parsed once at module scope by each function: a wrong environment fails the
// cold start loudly instead of the first request quietly.
const configSchema = z.object({
  MAIN_TABLE: z.string().min(3),
  LOG_TABLE: z.string().min(3),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  // Endpoint overrides exist for the local stack only; unset in AWS.
  DYNAMODB_ENDPOINT: z.url().optional(),
  STS_ENDPOINT: z.url().optional(),
  SSM_ENDPOINT: z.url().optional(),
  // Minutes a pending request waits for a decision before it expires, unless the policy says otherwise.
  PENDING_TTL_MINUTES: z.coerce.number().int().min(5).max(10_080).default(1440),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  return parsed.data;
}
