import { StartSessionCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER_ACCOUNT, CUSTOMER_ROLE_ARN, DB, INSTANCE_ID, PORT_FORWARD_DOC, REGION, startWorld, type World } from './world.ts';

// The control API (dev/aws-standin/control.ts, README "Control API"): each
// route's answer, and errors in the Latchkey API's `{error, message, details?}`.

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.standin.close();
});

async function call(method: string, action: string, body?: unknown) {
  const response = await fetch(`${world.standin.url}/_standin/${action}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('control API answers', () => {
  it('installs a role, registers a database and an instance, and mints credentials for the role', async () => {
    const roleArn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Partner`;
    const trustPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CUSTOMER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    expect(await call('POST', 'roles', { arn: roleArn, trustPolicy, permissionPolicies: [] })).toEqual({ status: 201, body: { arn: roleArn, roleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/) } });
    const database = { hostname: 'ledger.abc.eu-central-1.rds.amazonaws.com', port: 5432, region: REGION, account: CUSTOMER_ACCOUNT, resourceId: 'db-LEDGER', reachableAt: { host: '127.0.0.1', port: 15432 } };
    expect(await call('POST', 'databases', database)).toEqual({ status: 201, body: database });
    expect(await call('POST', 'instances', { instanceId: 'i-0aaaabbbbccccdddd', account: CUSTOMER_ACCOUNT, region: REGION })).toEqual({
      status: 201, body: { instanceId: 'i-0aaaabbbbccccdddd', account: CUSTOMER_ACCOUNT, region: REGION, tags: {} },
    });
    const credentials = await call('POST', 'credentials', { roleArn, sessionName: 'partner-worker', durationSeconds: 900 });
    expect(credentials).toMatchObject({ status: 201, body: { accessKeyId: expect.stringMatching(/^ASIA/), arn: `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/Partner/partner-worker` } });
    expect(Date.parse(credentials.body.expiration) - Date.now()).toBeLessThanOrEqual(900_000);
  });

  it('lists sessions without anything derived from their TokenValue', async () => {
    const creds = world.state.issueCredentialsFor(CUSTOMER_ROLE_ARN, { sessionName: 'lister' });
    const out = await world.ssm(creds).send(new StartSessionCommand({ Target: INSTANCE_ID, DocumentName: PORT_FORWARD_DOC, Parameters: { host: [DB.hostname], portNumber: ['5432'] } }));
    const listed = await call('GET', 'sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toEqual([expect.objectContaining({ sessionId: out.SessionId, status: 'Connected', streamUrl: out.StreamUrl })]);
    expect(listed.body.sessions[0]).not.toHaveProperty('tokenHash');
    expect(JSON.stringify(listed.body)).not.toContain(out.TokenValue);
  });
});

describe('injected faults (POST /_standin/faults)', () => {
  const start = (creds: ReturnType<World['state']['issueCredentialsFor']>) =>
    world.ssm(creds).send(new StartSessionCommand({ Target: INSTANCE_ID, DocumentName: PORT_FORWARD_DOC, Parameters: { host: [DB.hostname], portNumber: ['5432'] } }));

  it('fails the next call before it takes effect, then lets the following one through', async () => {
    const creds = world.state.issueCredentialsFor(CUSTOMER_ROLE_ARN, { sessionName: 'faulty' });
    // Three: the client's every attempt.
    expect((await call('POST', 'faults', { faults: [{ operation: 'ssm:StartSession', error: { code: 'ThrottlingException', status: 400 }, times: 3 }] })).status).toBe(200);

    await expect(start(creds)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(world.state.sessions.size).toBe(0);
    await start(creds);
    expect(world.state.sessions.size).toBe(1);
  });

  it("'after': the call takes effect and only its answer is lost", async () => {
    const creds = world.state.issueCredentialsFor(CUSTOMER_ROLE_ARN, { sessionName: 'lost-answer' });
    await call('POST', 'faults', { faults: [{ operation: 'ssm:StartSession', error: { code: 'InternalServerError', status: 500 }, when: 'after', times: 3 }] });

    await expect(start(creds)).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(world.state.sessions.size).toBe(3); // one per attempt, none of them known to the caller
  });

  it('delays an STS answer', async () => {
    await call('POST', 'faults', { faults: [{ operation: 'sts:GetCallerIdentity', delayMs: 300, times: 1 }] });
    const started = Date.now();
    await world.sts().send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('refuses a fault on anything but an STS or SSM operation', async () => {
    expect((await call('POST', 'faults', { faults: [{ operation: 'control:roles', delayMs: 1 }] })).status).toBe(400);
  });
});

describe('control API errors, shaped like the Latchkey API’s', () => {
  it.each([
    ['an unknown route', 'GET', 'roles', undefined, 404, { error: 'not_found', message: 'No control route GET /_standin/roles.' }],
    ['a body that is not JSON', 'POST', 'databases', '{"hostname":', 400, { error: 'invalid_json', message: 'The body is not JSON.' }],
    ['a field of the wrong type', 'POST', 'databases', { hostname: 'h', port: 'x', region: REGION, account: CUSTOMER_ACCOUNT, resourceId: 'db-X' }, 400, {
      error: 'validation_failed', message: 'The request is not valid.', details: [{ path: 'port', message: expect.stringContaining('number') }],
    }],
    ['an unknown field', 'POST', 'instances', { instanceId: 'i-1', account: CUSTOMER_ACCOUNT, region: REGION, colour: 'red' }, 400, {
      error: 'validation_failed', message: 'The request is not valid.', details: [{ path: '', message: expect.stringContaining('colour') }],
    }],
    ['credentials for a role nobody installed', 'POST', 'credentials', { roleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Nobody` }, 404, {
      error: 'role_not_found', message: `No role arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Nobody is installed (POST /_standin/roles first).`,
    }],
    ['a policy AWS would reject', 'POST', 'roles', { arn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Bad`, trustPolicy: { Statement: [{ Effect: 'Maybe', Action: 'sts:AssumeRole' }] }, permissionPolicies: [] }, 400, {
      error: 'refused', message: expect.stringContaining(`trust policy of arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Bad is not a valid policy`),
    }],
  ])('refuses %s', async (_name, method, action, body, status, expected) => {
    const before = JSON.stringify([...world.state.roles.keys(), ...world.state.databases.keys(), ...world.state.instances.keys()]);
    const reply = await call(method, action, body);
    expect(reply).toEqual({ status, body: expected });
    expect(Object.keys(reply.body).every((k) => ['error', 'message', 'details'].includes(k))).toBe(true);
    // A refusal changes nothing.
    expect(JSON.stringify([...world.state.roles.keys(), ...world.state.databases.keys(), ...world.state.instances.keys()])).toBe(before);
  });

  it('answers a body over 1 MiB with 413', async () => {
    expect(await call('POST', 'roles', { arn: 'x'.repeat(1 << 20) })).toEqual({ status: 413, body: { error: 'body_too_large', message: 'The body is over 1 MiB.' } });
  });
});
