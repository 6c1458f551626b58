import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { SsmSession } from './model.ts';
import { verifyRdsToken } from './rds-verifier.ts';
import type { AddRoleInput, StandinState } from './state.ts';

// A development-only control API under /_standin/ on the stand-in's loopback
// port. It is how a test or a developer in ANOTHER process plays the customer
// (installs a role, registers a database or bastion), plays a third party
// (gets credentials for its own role), and plays RDS (judges a token). AWS has
// no such endpoint: nothing in functions/ or shared/ knows it exists.
// Every route, body and error is in README.md ("Control API"); errors have the
// Latchkey API's shape, `{ error, message, details? }`.

export const CONTROL_PREFIX = '/_standin/';

const policy = z.object({ Version: z.string().optional(), Statement: z.unknown() }).passthrough();
const tags = z.record(z.string(), z.string()).optional();
const port = z.number().int().min(1).max(65_535);
const schemas = {
  roles: z.object({ arn: z.string(), trustPolicy: policy, permissionPolicies: z.array(policy), maxSessionDuration: z.number().optional(), tags }).strict(),
  databases: z.object({
    hostname: z.string().min(1), port, region: z.string().min(1), account: z.string().regex(/^\d{12}$/), resourceId: z.string().min(1),
    reachableAt: z.object({ host: z.string().min(1), port }).strict().optional(),
  }).strict(),
  instances: z.object({ instanceId: z.string().min(1), account: z.string().regex(/^\d{12}$/), region: z.string().min(1), tags }).strict(),
  credentials: z.object({ roleArn: z.string(), durationSeconds: z.number().int().min(900).max(43_200).optional(), sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/).optional() }).strict(),
  // RDS, STS and SSM all judge time by this clock: a test moves it to see a token expire at connect time.
  clock: z.object({ offsetSeconds: z.number() }).strict(),
  // Test-only failures of STS and SSM calls (StandinFault); the list replaces the previous one, [] clears it.
  faults: z.object({
    faults: z.array(z.object({
      operation: z.string().regex(/^(sts|ssm):[A-Za-z]+$/),
      delayMs: z.number().int().min(0).max(120_000).optional(),
      error: z.object({ code: z.string().regex(/^[A-Za-z][\w.]{0,63}$/), status: z.number().int().min(400).max(599) }).strict().optional(),
      when: z.enum(['before', 'after']).default('before'),
      times: z.number().int().min(1).optional(),
    }).strict()).max(20),
  }).strict(),
  'verify-rds-token': z.object({ token: z.string(), hostname: z.string(), port, dbUser: z.string(), at: z.iso.datetime().optional() }).strict(),
};
type Action = keyof typeof schemas;
type Input<A extends Action> = z.infer<(typeof schemas)[A]>;

export type ControlError = { error: string; message: string; details?: { path: string; message: string }[] };
export type ControlReply = { status: number; body: unknown; action?: string };

const fail = (status: number, error: string, message: string, details?: ControlError['details']): ControlReply => ({
  status,
  body: { error, message, ...(details ? { details } : {}) } satisfies ControlError,
});

/** A session as the control API shows it: everything but the hash of its TokenValue. */
const publicSession = ({ tokenHash: _hidden, ...session }: SsmSession) => session;

/** `body` is undefined when it was over the size limit. */
export async function handleControl(state: StandinState, req: IncomingMessage, body: string | undefined): Promise<ControlReply> {
  const action = (req.url ?? '').slice(CONTROL_PREFIX.length).split('?')[0] ?? '';
  if (req.method === 'GET' && action === 'sessions') {
    return { status: 200, body: { sessions: [...state.sessions.values()].map(publicSession) }, action };
  }
  if (req.method !== 'POST' || !Object.hasOwn(schemas, action)) return fail(404, 'not_found', `No control route ${req.method} ${CONTROL_PREFIX}${action}.`);
  if (body === undefined) return fail(413, 'body_too_large', 'The body is over 1 MiB.');
  let json: unknown;
  try {
    json = JSON.parse(body || '{}');
  } catch {
    return fail(400, 'invalid_json', 'The body is not JSON.');
  }
  const parsed = schemas[action as Action].safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return fail(400, 'validation_failed', 'The request is not valid.', details);
  }
  try {
    return { ...(await run(state, action as Action, parsed.data)), action };
  } catch (error) {
    // The state's own checks (a policy AWS would reject, a bad ARN) speak for themselves.
    return fail(400, 'refused', error instanceof Error ? error.message : 'refused');
  }
}

async function run(state: StandinState, action: Action, input: unknown): Promise<ControlReply> {
  switch (action) {
    case 'roles': {
      // addRole checks the policy documents themselves.
      const role = state.addRole(input as AddRoleInput);
      return { status: 201, body: { arn: role.arn, roleId: role.roleId } };
    }
    case 'databases':
      return { status: 201, body: state.addDatabase(input as Input<'databases'>) };
    case 'instances':
      return { status: 201, body: state.addInstance(input as Input<'instances'>) };
    case 'clock': {
      const { offsetSeconds } = input as Input<'clock'>;
      state.clock = () => new Date(Date.now() + offsetSeconds * 1000);
      return { status: 200, body: { now: state.now().toISOString() } };
    }
    case 'credentials': {
      const { roleArn, ...options } = input as Input<'credentials'>;
      if (!state.findRole(roleArn)) return fail(404, 'role_not_found', `No role ${roleArn} is installed (POST ${CONTROL_PREFIX}roles first).`);
      const p = state.issueCredentialsFor(roleArn, options);
      return { status: 201, body: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, sessionToken: p.sessionToken, expiration: p.expiration.toISOString(), arn: p.arn } };
    }
    case 'faults':
      state.faults = (input as Input<'faults'>).faults;
      return { status: 200, body: { faults: state.faults } };
    case 'verify-rds-token': {
      const { token, at, ...expect } = input as Input<'verify-rds-token'>;
      return { status: 200, body: await verifyRdsToken(token, { ...expect, now: at ? new Date(at) : state.now() }, state) };
    }
  }
}
