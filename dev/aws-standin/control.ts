import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { verifyRdsToken } from './rds-verifier.ts';
import type { AddRoleInput, StandinState } from './state.ts';

// A development-only control API under /_standin/ on the stand-in's loopback
// port. It is how a test or a developer in ANOTHER process plays the customer
// (installs a role, registers a database or bastion), plays a third party
// (gets credentials for its own role), and plays RDS (judges a token). AWS has
// no such endpoint: nothing in functions/ or shared/ knows it exists.

export const CONTROL_PREFIX = '/_standin/';

const policy = z.object({ Version: z.string().optional(), Statement: z.unknown() }).passthrough();
const schemas = {
  roles: z.object({ arn: z.string(), trustPolicy: policy, permissionPolicies: z.array(policy), maxSessionDuration: z.number().optional() }),
  databases: z.object({ hostname: z.string(), port: z.number(), region: z.string(), account: z.string(), resourceId: z.string() }),
  instances: z.object({ instanceId: z.string(), account: z.string(), region: z.string() }),
  credentials: z.object({ roleArn: z.string(), durationSeconds: z.number().optional(), sessionName: z.string().optional() }),
  // RDS, STS and SSM all judge time by this clock: a test moves it to see a token expire at connect time.
  clock: z.object({ offsetSeconds: z.number() }),
  'verify-rds-token': z.object({ token: z.string(), hostname: z.string(), port: z.number(), dbUser: z.string(), at: z.iso.datetime().optional() }),
};

export type ControlReply = { status: number; body: unknown };

export async function handleControl(state: StandinState, req: IncomingMessage, body: string): Promise<ControlReply> {
  const action = (req.url ?? '').slice(CONTROL_PREFIX.length).split('?')[0] ?? '';
  if (req.method === 'GET' && action === 'sessions') {
    return { status: 200, body: { sessions: [...state.sessions.values()] } };
  }
  if (req.method !== 'POST' || !(action in schemas)) return { status: 404, body: { message: `no control action ${req.method} ${action}` } };
  let input: unknown;
  try {
    input = schemas[action as keyof typeof schemas].parse(JSON.parse(body || '{}'));
  } catch (error) {
    return { status: 400, body: { message: error instanceof Error ? error.message : 'bad input' } };
  }
  try {
    switch (action) {
      case 'roles': {
        // addRole checks the policy documents themselves.
        const role = state.addRole(input as AddRoleInput);
        return { status: 201, body: { arn: role.arn, roleId: role.roleId } };
      }
      case 'databases':
        return { status: 201, body: state.addDatabase(input as z.infer<typeof schemas.databases>) };
      case 'instances':
        return { status: 201, body: state.addInstance(input as z.infer<typeof schemas.instances>) };
      case 'clock': {
        const { offsetSeconds } = input as z.infer<typeof schemas.clock>;
        state.clock = () => new Date(Date.now() + offsetSeconds * 1000);
        return { status: 200, body: { now: state.now().toISOString() } };
      }
      case 'credentials': {
        const { roleArn, ...options } = input as z.infer<typeof schemas.credentials>;
        const p = state.issueCredentialsFor(roleArn, options);
        return { status: 201, body: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, sessionToken: p.sessionToken, expiration: p.expiration.toISOString(), arn: p.arn } };
      }
      default: {
        const { token, at, ...expect } = input as z.infer<(typeof schemas)['verify-rds-token']>;
        return { status: 200, body: await verifyRdsToken(token, { ...expect, now: at ? new Date(at) : state.now() }, state) };
      }
    }
  } catch (error) {
    return { status: 400, body: { message: error instanceof Error ? error.message : 'refused' } };
  }
}
