import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { StartSessionCommand, TerminateSessionCommand, type StartSessionCommandInput } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CUSTOMER_ACCOUNT, CUSTOMER_ROLE_ARN, EXTERNAL_ID, INSTANCE_ID, OTHER_INSTANCE_ID, PORT_FORWARD_DOC, REGION,
  documentArn, instanceArn, sessionPolicy, startWorld, type Credentials, type World,
} from './world.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.standin.close();
});

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

/** Mints credentials the way Latchkey does: AssumeRole with a session policy ending at `until`. */
async function mint(sessionName: string, until: Date): Promise<Credentials> {
  const out = await world.sts().send(new AssumeRoleCommand({
    RoleArn: CUSTOMER_ROLE_ARN, RoleSessionName: sessionName, ExternalId: EXTERNAL_ID, DurationSeconds: 3600,
    Policy: JSON.stringify(sessionPolicy(until)),
  }));
  const c = out.Credentials;
  return { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
}

const portForward = (overrides: Partial<StartSessionCommandInput> = {}) => new StartSessionCommand({
  Target: INSTANCE_ID,
  DocumentName: PORT_FORWARD_DOC,
  Parameters: { host: ['orders.cluster-abc.eu-central-1.rds.amazonaws.com'], portNumber: ['5432'], localPortNumber: ['15432'] },
  ...overrides,
});

const inHalfAnHour = () => new Date(Date.now() + 30 * 60_000);

describe('StartSession', () => {
  it('starts a port-forwarding session on the instance and document the session policy names', async () => {
    const creds = await mint('req-01JCZ3M4', inHalfAnHour());

    const out = await world.ssm(creds).send(portForward());

    expect(out.SessionId).toMatch(/^req-01JCZ3M4-[0-9a-f]{17}$/);
    // Not AWS's wss://ssmmessages…: the stand-in's own stream endpoint, which dev/tunnel.ts connects to.
    expect(out.StreamUrl).toBe(`${world.standin.url}/_standin/stream/${out.SessionId}`);
    expect(out.TokenValue).toBeTruthy();
    expect(world.state.sessions.get(out.SessionId ?? '')).toMatchObject({
      status: 'Connected',
      owner: `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/LatchkeyAccess/req-01JCZ3M4`,
      target: INSTANCE_ID,
      documentName: PORT_FORWARD_DOC,
      parameters: { portNumber: ['5432'] },
    });
  });

  it.each([
    ['another instance the role allows', { Target: OTHER_INSTANCE_ID }, instanceArn(OTHER_INSTANCE_ID), 'session'],
    ['another document', { DocumentName: 'AWS-StartSSHSession' }, documentArn('AWS-StartSSHSession'), 'identity-based'],
  ])('refuses %s', async (_, overrides, resource, refusingPolicy) => {
    const creds = await mint('req-01JCZ3M4', inHalfAnHour());

    const error = await failure(world.ssm(creds).send(portForward(overrides)));

    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(`User: arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/LatchkeyAccess/req-01JCZ3M4 is not authorized to perform: ssm:StartSession on resource: ${resource} because no ${refusingPolicy} policy allows the ssm:StartSession action`);
    expect(world.state.sessions.size).toBe(0);
  });

  it('refuses once the session policy window (DateLessThan aws:CurrentTime) has passed', async () => {
    const creds = await mint('req-01JCZ3M4', new Date(Date.now() + 20 * 60_000));
    world.advance(20 * 60 + 1);

    const error = await failure(world.ssm(creds).send(portForward()));

    expect(error.name).toBe('AccessDeniedException');
  });

  it('answers TargetNotConnected for an instance it does not know', async () => {
    world.state.addRole({ arn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Ops`, trustPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: CUSTOMER_ACCOUNT }, Action: 'sts:AssumeRole' } }, permissionPolicies: [{ Statement: { Effect: 'Allow', Action: 'ssm:*', Resource: '*' } }] });
    const ops = world.state.issueCredentialsFor(`arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Ops`, { sessionName: 'ops' });

    const unknown = await failure(world.ssm(ops).send(portForward({ Target: 'i-00000000000000000' })));
    const noDocument = await failure(world.ssm(ops).send(portForward({ DocumentName: 'Custom-Nope' })));

    expect(unknown).toMatchObject({ name: 'TargetNotConnected', message: 'i-00000000000000000 is not connected.' });
    expect(noDocument).toMatchObject({ name: 'InvalidDocument', message: 'Document with name Custom-Nope does not exist.' });
  });
});

describe('TerminateSession', () => {
  it('ends the caller’s own session and refuses sessions started by another role session', async () => {
    const mine = await mint('req-mine', inHalfAnHour());
    const theirs = await mint('req-theirs', inHalfAnHour());
    const { SessionId: myId = '' } = await world.ssm(mine).send(portForward());
    const { SessionId: theirId = '' } = await world.ssm(theirs).send(portForward());

    const error = await failure(world.ssm(mine).send(new TerminateSessionCommand({ SessionId: theirId })));
    const out = await world.ssm(mine).send(new TerminateSessionCommand({ SessionId: myId }));

    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain(`ssm:TerminateSession on resource: arn:aws:ssm:${REGION}:${CUSTOMER_ACCOUNT}:session/${theirId} because no identity-based policy allows`);
    expect(out.SessionId).toBe(myId);
    expect(world.state.sessions.get(myId)?.status).toBe('Terminated');
    expect(world.state.sessions.get(theirId)?.status).toBe('Connected');
  });

  it('supports the session/${aws:username}-* form for IAM users, whose session ids start with their name', async () => {
    const user = { accessKeyId: 'AKIACUSTOMERUSER0001', secretAccessKey: 'jane-secret' };
    world.state.addUser({
      arn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:user/jane`, ...user,
      permissionPolicies: [{ Statement: [
        { Effect: 'Allow', Action: 'ssm:StartSession', Resource: '*' },
        { Effect: 'Allow', Action: 'ssm:TerminateSession', Resource: 'arn:aws:ssm:*:*:session/${aws:username}-*' },
      ] }],
    });
    const { SessionId = '' } = await world.ssm(user).send(portForward());

    await world.ssm(user).send(new TerminateSessionCommand({ SessionId }));

    expect(SessionId).toMatch(/^jane-[0-9a-f]{17}$/);
    expect(world.state.sessions.get(SessionId)?.status).toBe('Terminated');
  });
});

describe('request signing', () => {
  it.each([
    ['a bad signature', (c: Credentials) => ({ ...c, secretAccessKey: 'wrong' }), 'InvalidSignatureException'],
    ['an unknown key', () => ({ accessKeyId: 'ASIAUNKNOWN000000000', secretAccessKey: 'x', sessionToken: 'y' }), 'UnrecognizedClientException'],
    ['a forged session token', (c: Credentials) => ({ ...c, sessionToken: 'forged' }), 'UnrecognizedClientException'],
  ])('refuses %s', async (_, alter, code) => {
    const creds = await mint('req-01JCZ3M4', inHalfAnHour());
    const error = await failure(world.ssm(alter(creds)).send(portForward()));
    expect(error.name).toBe(code);
  });

  it('refuses expired credentials with ExpiredTokenException', async () => {
    const creds = await mint('req-01JCZ3M4', new Date(Date.now() + 3 * 3600_000));
    world.advance(3601);
    expect((await failure(world.ssm(creds).send(portForward()))).name).toBe('ExpiredTokenException');
  });
});
