import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyRdsToken } from '#dev/aws-standin/rds-verifier';
import { startAwsStandin, type AwsStandin } from '#dev/aws-standin/server';
import { StandinState } from '#dev/aws-standin/state';
import type { PolicyDocument as StandinPolicy } from '#dev/aws-standin/policy-schema';
import { RdsTokenSigner } from '#shared/adapters/aws/rds-token-signer';
import { SsmSessionStarter } from '#shared/adapters/aws/ssm-session-starter';
import { createStsClient, StsRoleAssumer } from '#shared/adapters/aws/sts-role-assumer';
import { assertPackedSize } from '#shared/minting/minting';
import { sessionNameFor, sessionTagsFor, sourceIdentityFor } from '#shared/iam/session-naming';
import { sessionPolicyFor, terminationPolicyFor } from '#shared/iam/session-policy';
import { AwsCallError } from '#shared/minting/errors';
import type { AssumeRoleInput, AwsCredentials } from '#shared/minting/ports';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { ACCOUNT, EXTERNAL_ID, ROLE_ARN, approvedGrant, fakeMintingDeps, requester } from '../support/minting-world.ts';

// The minting adapters against the AWS stand-in over HTTP: real SDK clients,
// SigV4, the trust policy's external id and tag checks, the session policy.
// It starts its own stand-in, so it needs nothing from the global setup.

const REGION = 'eu-central-1';
const BROKER_ACCOUNT = '999900001111';
const BROKER = {
  accessKeyId: 'ASIABROKERMINTING001',
  secretAccessKey: 'broker/secret/key/of/the/minting/lambda',
  sessionToken: 'IQoJb3JpZ2luX2VjEBrokerMintingSession+/==',
};
const DB = { hostname: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1' };
const INSTANCE_ID = 'i-0123456789abcdef0';
const dbUserArn = (user: string) => `arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${DB.resourceId}/${user}`;

const trustPolicy = (actions = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']): StandinPolicy => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${BROKER_ACCOUNT}:role/latchkey-issuer` }, Action: actions, Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
});
// What the integration's permission policy grants; the session policy narrows it per grant.
const permissions: StandinPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'rds-db:connect', Resource: [dbUserArn('app_ro'), dbUserArn('app_rw')] },
    { Effect: 'Allow', Action: 'ssm:StartSession', Resource: [`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`, `arn:aws:ssm:${REGION}::document/AWS-StartPortForwardingSessionToRemoteHost`] },
    { Effect: 'Allow', Action: 'ssm:TerminateSession', Resource: `arn:aws:ssm:*:${ACCOUNT}:session/*`, Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } } },
  ],
};

let standin: AwsStandin;
let state: StandinState;
let assumer: StsRoleAssumer;
const signer = new RdsTokenSigner();
let sessions: SsmSessionStarter;

beforeEach(async () => {
  state = new StandinState();
  state.addRole({ arn: `arn:aws:iam::${BROKER_ACCOUNT}:role/latchkey-issuer`, trustPolicy: { Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' } }, permissionPolicies: [{ Statement: { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: '*' } }] });
  state.addPrincipalCredentials({ arn: `arn:aws:sts::${BROKER_ACCOUNT}:assumed-role/latchkey-issuer/latchkey-issue-credentials`, ...BROKER });
  state.addRole({ arn: ROLE_ARN, trustPolicy: trustPolicy(), permissionPolicies: [permissions] });
  state.addInstance({ instanceId: INSTANCE_ID, account: ACCOUNT, region: REGION });
  state.addDatabase({ ...DB, region: REGION, account: ACCOUNT });
  standin = await startAwsStandin({ state });
  assumer = new StsRoleAssumer(createStsClient({ AWS_REGION: REGION, STS_ENDPOINT: standin.url }, BROKER));
  sessions = new SsmSessionStarter({ endpoint: standin.url });
});
afterEach(async () => {
  await standin.close();
});

const grant = approvedGrant(60);
const inMinutes = (n: number) => new Date(Date.now() + n * 60_000);

function assumeInput(overrides: Partial<AssumeRoleInput> = {}, windowEnd = inMinutes(30), ssm = false): AssumeRoleInput {
  return {
    roleArn: ROLE_ARN,
    externalId: EXTERNAL_ID,
    sessionName: sessionNameFor(grant),
    sourceIdentity: sourceIdentityFor(grant.requesterId),
    tags: sessionTagsFor(grant),
    durationSeconds: 1800,
    policy: sessionPolicyFor({ region: REGION, accountId: ACCOUNT, resourceId: DB.resourceId, databaseUser: 'app_ro', windowEnd, ...(ssm ? { ssm: { instanceId: INSTANCE_ID } } : {}) }),
    ...overrides,
  };
}

async function awsFailure(promise: Promise<unknown>): Promise<AwsCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AwsCallError);
    return error as AwsCallError;
  }
  throw new Error('expected the AWS call to fail');
}

const sign = (credentials: AwsCredentials, username = 'app_ro') => signer.sign({ hostname: DB.hostname, port: DB.port, region: REGION, username, credentials });
const verify = (token: string, dbUser = 'app_ro', now = new Date()) => verifyRdsToken(token, { hostname: DB.hostname, port: DB.port, dbUser, now }, state);

describe('StsRoleAssumer against the stand-in', () => {
  it('sends the external id, session name, SourceIdentity, tags, duration and session policy', async () => {
    const input = assumeInput();

    const assumed = await assumer.assume(input);

    const [session] = state.issuedSessions;
    expect(state.issuedSessions).toHaveLength(1);
    expect(session).toMatchObject({ roleArn: ROLE_ARN, sessionName: 'lk-req_0000000001', sourceIdentity: input.sourceIdentity, accessKeyId: assumed.credentials.accessKeyId });
    expect(session!.tags).toEqual(Object.fromEntries(input.tags.map((t) => [t.key, t.value])));
    expect(session!.sessionPolicy).toEqual(JSON.parse(input.policy));
    expect(Math.abs(session!.expiration.getTime() - (Date.now() + 1800_000))).toBeLessThan(10_000);
    expect(assumed).toMatchObject({ assumedRoleId: session!.assumedRoleId, assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/LatchkeyAccess/lk-req_0000000001` });
    expect(assumed.credentials.expiration).toEqual(new Date(Math.floor(session!.expiration.getTime() / 1000) * 1000));
    expect(assumed.packedPolicySize).toBeGreaterThan(0);
    expect(() => assertPackedSize(assumed.packedPolicySize)).not.toThrow();
  });

  it('is refused with AccessDenied, and no credentials, for a wrong external id', async () => {
    const error = await awsFailure(assumer.assume(assumeInput({ externalId: 'lk-ext-guessed-by-someone-else' })));

    expect(error).toMatchObject({ service: 'sts', operation: 'AssumeRole', awsCode: 'AccessDenied' });
    expect(error.message).not.toContain('lk-ext');
    expect(state.issuedSessions).toHaveLength(0);
  });

  it('is refused with AccessDenied when the trust policy lacks sts:TagSession', async () => {
    state.addRole({ arn: ROLE_ARN, trustPolicy: trustPolicy(['sts:AssumeRole', 'sts:SetSourceIdentity']), permissionPolicies: [permissions] });

    expect(await awsFailure(assumer.assume(assumeInput()))).toMatchObject({ awsCode: 'AccessDenied' });
    expect(state.issuedSessions).toHaveLength(0);
  });

  it('is refused with ValidationError for a tag value over 256 characters', async () => {
    const error = await awsFailure(assumer.assume(assumeInput({ tags: [{ key: 'latchkey:requester', value: 'x'.repeat(257) }] })));

    expect(error.awsCode).toBe('ValidationError');
    expect(state.issuedSessions).toHaveLength(0);
  });
});

describe('RdsTokenSigner: tokens the stand-in judges as RDS would', () => {
  it('mints a token RDS accepts for the granted user', async () => {
    const { credentials } = await assumer.assume(assumeInput());

    expect(await verify(await sign(credentials))).toMatchObject({ ok: true, dbUser: 'app_ro' });
  });

  it('is not a token for another user, and the session policy refuses another user even when signed for it', async () => {
    const { credentials } = await assumer.assume(assumeInput());

    expect(await verify(await sign(credentials), 'app_rw')).toMatchObject({ ok: false, reason: 'wrong-user' });
    // The role allows app_rw; the grant's session policy does not.
    expect(await verify(await sign(credentials, 'app_rw'), 'app_rw')).toMatchObject({ ok: false, reason: 'not-authorized' });
  });

  it('is refused after the window ends, though the token and the 15-minute credentials are still valid', async () => {
    const windowEnd = inMinutes(5);
    const { credentials } = await assumer.assume(assumeInput({ durationSeconds: 900 }, windowEnd));
    const token = await sign(credentials);

    expect(await verify(token, 'app_ro', inMinutes(4))).toMatchObject({ ok: true });
    expect(await verify(token, 'app_ro', inMinutes(6))).toMatchObject({ ok: false, reason: 'not-authorized' });
  });
});

describe('SsmSessionStarter against the stand-in', () => {
  it('starts a port-forwarding session to the endpoint as the assumed session, and ends it', async () => {
    const { credentials } = await assumer.assume(assumeInput({}, inMinutes(30), true));

    const started = await sessions.start(credentials, { region: REGION, instanceId: INSTANCE_ID, host: DB.hostname, portNumber: DB.port, localPortNumber: 15432 });

    expect(started.sessionId).toMatch(/^lk-req_0000000001-[0-9a-f]{17}$/);
    expect(started.tokenValue).toBeTruthy();
    expect(state.sessions.get(started.sessionId)).toMatchObject({
      status: 'Connected',
      target: INSTANCE_ID,
      documentName: 'AWS-StartPortForwardingSessionToRemoteHost',
      parameters: { host: [DB.hostname], portNumber: ['5432'], localPortNumber: ['15432'] },
    });
    await sessions.terminate(credentials, REGION, started.sessionId);
    expect(state.sessions.get(started.sessionId)?.status).toBe('Terminated');
  });

  it('lets a later session with the same session name and the termination policy end it; another name may not', async () => {
    const first = await assumer.assume(assumeInput({}, inMinutes(30), true));
    const started = await sessions.start(first.credentials, { region: REGION, instanceId: INSTANCE_ID, host: DB.hostname, portNumber: DB.port, localPortNumber: 15432 });
    const ender = (sessionName: string) =>
      assumer.assume(assumeInput({ sessionName, sourceIdentity: 'latchkey', durationSeconds: 900, policy: terminationPolicyFor({ region: REGION, accountId: ACCOUNT, until: inMinutes(15) }) }));

    const stranger = await ender('lk-req_0000000002');
    expect(await awsFailure(sessions.terminate(stranger.credentials, REGION, started.sessionId))).toMatchObject({ awsCode: 'AccessDeniedException' });

    const same = await ender(sessionNameFor(grant));
    await sessions.terminate(same.credentials, REGION, started.sessionId);
    expect(state.sessions.get(started.sessionId)?.status).toBe('Terminated');
  });
});

describe('issueCredentials end to end through the stand-in', () => {
  it('hands out a token RDS accepts and a live tunnel, and logs one event without secrets', async () => {
    const deps = {
      ...fakeMintingDeps(),
      roleAssumer: assumer,
      tokenSigner: signer,
      sessionStarter: sessions,
    };
    deps.requests.seed(grant);

    const issued = await issueCredentials(deps, requester, { requestId: grant.requestId, ssm: { localPortNumber: 15432 } });

    expect(await verify(issued.database.token)).toMatchObject({ ok: true });
    expect(state.sessions.get(issued.audit.ssmSessionId!)?.status).toBe('Connected');
    const [session] = state.issuedSessions;
    expect(issued.audit).toMatchObject({ assumedRoleId: session!.assumedRoleId, sourceIdentity: session!.sourceIdentity });
    const logged = JSON.stringify(deps.issuances.events);
    expect(deps.issuances.actions()).toEqual(['credentials.issued']);
    for (const secret of [session!.secretAccessKey, session!.sessionToken, issued.database.token, issued.ssm!.tokenValue, EXTERNAL_ID]) expect(logged).not.toContain(secret);
  });
});
