import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policyDocumentSchema } from './policy-schema.ts';
import { StandinState } from './state.ts';

// The stand-in's memory on disk, so that a restarted stack still knows what
// the "customer" installed (roles, databases, bastions), which credentials it
// handed out (the broker's own included) and which SSM sessions are open:
// without it, an integration verified yesterday fails today with AccessDenied.
// The file holds secret keys, session tokens and KMS private keys of a simulated AWS, so it is
// private to the user (0600 in a 0700 folder) and lives under <home> only.

export const STATE_FILE = 'state.json';
const FORMAT = 1;

const tags = z.record(z.string(), z.string());
const date = z.coerce.date();
const policies = z.array(policyDocumentSchema);

const roleSchema = z.object({
  arn: z.string(), roleId: z.string(), account: z.string(), name: z.string(),
  trustPolicy: policyDocumentSchema, permissionPolicies: policies, maxSessionDuration: z.number(), tags,
});
const principalBase = {
  accessKeyId: z.string(), secretAccessKey: z.string(), arn: z.string(), account: z.string(), userId: z.string(), tags,
  permissionPolicies: policies.optional(),
};
const principalSchema = z.discriminatedUnion('kind', [
  z.object({ ...principalBase, kind: z.literal('user'), userName: z.string() }),
  z.object({
    ...principalBase, kind: z.literal('role-session'), roleArn: z.string(), roleName: z.string(), sessionName: z.string(),
    sessionToken: z.string(), expiration: date, assumedRoleId: z.string(), issuedAt: date, sourceIdentity: z.string().optional(),
    sessionPolicy: policyDocumentSchema.optional(), transitiveTagKeys: z.array(z.string()), issuedByStandin: z.boolean(),
  }),
]);
const sessionSchema = z.object({
  sessionId: z.string(), status: z.enum(['Connected', 'Terminated']), owner: z.string(), ownerUserId: z.string(), target: z.string(),
  documentName: z.string(), parameters: z.record(z.string(), z.array(z.string())), reason: z.string().optional(), region: z.string(),
  account: z.string(), startDate: date, endDate: date.optional(), streamUrl: z.string(), tokenHash: z.string(),
});
const instanceSchema = z.object({ instanceId: z.string(), account: z.string(), region: z.string(), tags });
const databaseSchema = z.object({
  hostname: z.string(), port: z.number(), region: z.string(), account: z.string(), resourceId: z.string(),
  reachableAt: z.object({ host: z.string(), port: z.number() }).optional(),
});

const kmsKeySchema = z.object({
  keyId: z.string(), arn: z.string(), account: z.string(), region: z.string(), keySpec: z.enum(['ECC_NIST_P256', 'RSA_2048']),
  description: z.string(), aliases: z.array(z.string()), createdAt: date, privateKeyPem: z.string(),
});

const fileSchema = z.object({
  format: z.literal(FORMAT),
  roles: z.array(roleSchema),
  principals: z.array(principalSchema),
  sessions: z.array(sessionSchema),
  instances: z.array(instanceSchema),
  databases: z.array(databaseSchema),
  // Added later: files written before have none.
  kmsKeys: z.array(kmsKeySchema).default([]),
});

export class StateFileError extends Error {}

/** Reads `<dir>/state.json` into a fresh state; undefined when there is none yet. */
export function loadState(dir: string, clock?: () => Date): StandinState | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch (error) {
    // Never guess at a half-understood file: say where it is and how to start over.
    const why = error instanceof z.ZodError ? error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (error as Error).message;
    throw new StateFileError(`the AWS stand-in's state ${join(dir, STATE_FILE)} is unreadable (${why}); start with --reset to delete it`);
  }
  const state = new StandinState(clock);
  for (const role of parsed.roles) state.roles.set(`${role.account}:${role.name}`, role);
  for (const principal of parsed.principals) state.principals.set(principal.accessKeyId, principal);
  for (const session of parsed.sessions) state.sessions.set(session.sessionId, session);
  for (const instance of parsed.instances) state.instances.set(instance.instanceId, instance);
  for (const database of parsed.databases) state.addDatabase(database);
  for (const key of parsed.kmsKeys) state.kmsKeys.set(key.keyId, key);
  return state;
}

/**
 * Writes the whole state atomically (temporary file, then rename), so a
 * `kill -9` mid-write leaves the previous state, never half of one.
 */
export function saveState(dir: string, state: StandinState): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const doc = {
    format: FORMAT,
    roles: [...state.roles.values()],
    principals: [...state.principals.values()],
    sessions: [...state.sessions.values()],
    instances: [...state.instances.values()],
    databases: [...state.databases.values()],
    kmsKeys: [...state.kmsKeys.values()],
  };
  const file = join(dir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(doc)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export function deleteState(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
