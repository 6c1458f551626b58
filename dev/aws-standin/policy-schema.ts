import { z } from 'zod';
import { isKnownConditionOperator } from './policy-conditions.ts';

// IAM JSON policy grammar, narrowed to what the stand-in evaluates. Session
// policies arrive as untrusted strings over the wire, so they are parsed here
// and a policy AWS would reject (unknown operator, missing Effect) is refused
// up front instead of silently evaluating to "deny".
const stringOrList = z.union([z.string(), z.array(z.string()).min(1)]);
const conditionScalar = z.union([z.string(), z.number(), z.boolean()]);
const conditionValue = z.union([conditionScalar, z.array(conditionScalar).min(1)]);

const principalSchema = z.union([z.literal('*'), z.record(z.string(), stringOrList)]);

const conditionSchema = z.record(
  z.string().refine(isKnownConditionOperator, { message: 'unknown condition operator' }),
  z.record(z.string(), conditionValue),
);

const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: stringOrList.optional(),
    NotAction: stringOrList.optional(),
    Resource: stringOrList.optional(),
    NotResource: stringOrList.optional(),
    Principal: principalSchema.optional(),
    NotPrincipal: principalSchema.optional(),
    Condition: conditionSchema.optional(),
  })
  .strict()
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), {
    message: 'a statement needs exactly one of Action and NotAction',
  });

export const policyDocumentSchema = z
  .object({
    Version: z.enum(['2012-10-17', '2008-10-17']).optional(),
    Id: z.string().optional(),
    Statement: z.union([statementSchema, z.array(statementSchema).min(1)]),
  })
  .strict();

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyStatement = z.infer<typeof statementSchema>;
export type PolicyPrincipal = z.infer<typeof principalSchema>;
export type PolicyCondition = z.infer<typeof conditionSchema>;

export const statementsOf = (doc: PolicyDocument): PolicyStatement[] =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];

/** Parses a policy given as JSON text; `undefined` when AWS would call it malformed. */
export function parsePolicyText(text: string): PolicyDocument | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = policyDocumentSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** Validates a policy given by a test or the dev seed; throws with the reason. */
export function assertPolicy(doc: unknown, what: string): PolicyDocument {
  const parsed = policyDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(`${what} is not a valid policy: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}
