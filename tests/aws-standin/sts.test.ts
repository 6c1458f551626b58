import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BROKER_ACCOUNT, BROKER_CREDENTIALS, CUSTOMER_ACCOUNT, CUSTOMER_ROLE_ARN, EXTERNAL_ID, customerPermissions,
  customerTrustPolicy, startWorld, type World,
} from './world.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.standin.close();
});

const assume = (overrides: Partial<AssumeRoleCommandInput> = {}) =>
  world.sts().send(new AssumeRoleCommand({
    RoleArn: CUSTOMER_ROLE_ARN,
    RoleSessionName: 'req-01JCZ3M4',
    ExternalId: EXTERNAL_ID,
    DurationSeconds: 900,
    ...overrides,
  }));

/** Resolves to the SDK error thrown by `promise`. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

describe('AssumeRole', () => {
  it('returns working credentials shaped like STS', async () => {
    const out = await assume({ SourceIdentity: 'alice@example.com', Tags: [{ Key: 'tenant', Value: 't-1' }], TransitiveTagKeys: ['tenant'] });

    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 890_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/LatchkeyAccess/req-01JCZ3M4`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:req-01JCZ3M4$/);
    expect(out.SourceIdentity).toBe('alice@example.com');
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const [issued] = world.state.issuedSessions;
    expect(issued).toMatchObject({ roleArn: CUSTOMER_ROLE_ARN, sessionName: 'req-01JCZ3M4', tags: { tenant: 't-1' }, transitiveTagKeys: ['tenant'] });

    const creds = { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken ?? '' };
    const me = await world.sts(creds).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: CUSTOMER_ACCOUNT, Arn: out.AssumedRoleUser?.Arn, UserId: out.AssumedRoleUser?.AssumedRoleId });
  });

  it.each([
    ['a wrong external id', { ExternalId: 'lk-ext-guessed' }],
    ['no external id', { ExternalId: undefined }],
  ])('refuses %s with AccessDenied and records nothing', async (_, overrides) => {
    const error = await failure(assume(overrides));

    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(`User: arn:aws:sts::${BROKER_ACCOUNT}:assumed-role/latchkey-issuer/latchkey-mint is not authorized to perform: sts:AssumeRole on resource: ${CUSTOMER_ROLE_ARN}`);
    expect(world.state.issuedSessions).toHaveLength(0);
  });

  it('refuses session tags when the trust policy lacks sts:TagSession', async () => {
    world.state.addRole({ arn: CUSTOMER_ROLE_ARN, trustPolicy: customerTrustPolicy(['sts:AssumeRole']), permissionPolicies: [customerPermissions] });

    const error = await failure(assume({ Tags: [{ Key: 'tenant', Value: 't-1' }] }));

    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('is not authorized to perform: sts:TagSession on resource:');
    expect(await assume()).toHaveProperty('Credentials');
  });

  it('refuses a source identity when the trust policy lacks sts:SetSourceIdentity', async () => {
    world.state.addRole({ arn: CUSTOMER_ROLE_ARN, trustPolicy: customerTrustPolicy(['sts:AssumeRole', 'sts:TagSession']), permissionPolicies: [customerPermissions] });

    const error = await failure(assume({ SourceIdentity: 'alice' }));

    expect(error.message).toContain('sts:SetSourceIdentity');
  });

  it('refuses an unknown role exactly like an untrusted one', async () => {
    const error = await failure(assume({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Nope` }));
    expect(error.name).toBe('AccessDenied');
  });

  it.each([
    ['a 257-character tag value', { Tags: [{ Key: 'reason', Value: 'x'.repeat(257) }] }, "at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"],
    ['a tag value outside the allowed characters', { Tags: [{ Key: 'who', Value: 'a,b' }] }, "at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['51 tags', { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"],
    ['duplicate tag keys differing in case', { Tags: [{ Key: 'Tenant', Value: 'a' }, { Key: 'tenant', Value: 'b' }] }, 'Duplicate tag keys found'],
    ['a one-character session name', { RoleSessionName: 'r' }, "at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"],
    ['a session name with a space', { RoleSessionName: 'my session' }, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*'],
    ['a 65-character source identity', { SourceIdentity: 'a'.repeat(65) }, "at 'sourceIdentity' failed to satisfy constraint: Member must have length less than or equal to 64"],
    ['a duration under 15 minutes', { DurationSeconds: 899 }, 'Member must have value greater than or equal to 900'],
    ['role chaining beyond one hour', { DurationSeconds: 3601 }, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'],
  ])('refuses %s with ValidationError', async (_, overrides, message) => {
    const error = await failure(assume(overrides as Partial<AssumeRoleCommandInput>));

    expect(error.name).toBe('ValidationError');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(message);
    expect(world.state.issuedSessions).toHaveLength(0);
  });

  it('allows longer sessions up to the role maximum when not chaining', async () => {
    const user = { accessKeyId: 'AKIABROKERUSER000001', secretAccessKey: 'user-secret' };
    world.state.addUser({ arn: `arn:aws:iam::${BROKER_ACCOUNT}:user/ops`, ...user });
    world.state.addRole({ arn: CUSTOMER_ROLE_ARN, trustPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${BROKER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' } }, permissionPolicies: [], maxSessionDuration: 7200 });
    const send = (seconds: number) => world.sts(user).send(new AssumeRoleCommand({ RoleArn: CUSTOMER_ROLE_ARN, RoleSessionName: 'ops', DurationSeconds: seconds }));

    expect((await send(7200)).Credentials).toBeDefined();
    expect((await failure(send(7201))).message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  // The SDK names modeled errors by class: wire code MalformedPolicyDocument → MalformedPolicyDocumentException.
  it('rejects a malformed session policy and an oversized packed policy', async () => {
    expect((await failure(assume({ Policy: '{"Statement":' }))).name).toBe('MalformedPolicyDocumentException');

    const tags = Array.from({ length: 10 }, (_, i) => ({ Key: `key${i}`, Value: 'v'.repeat(250) }));
    const error = await failure(assume({ Tags: tags }));
    expect(error.name).toBe('PackedPolicyTooLargeException');
    expect(error.message).toMatch(/^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/);
  });

  it('refuses managed session policies rather than silently ignoring them', async () => {
    const error = await failure(assume({ PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }));
    expect(error.name).toBe('NotImplemented');
  });
});

describe('request signing', () => {
  it('refuses a bad signature with SignatureDoesNotMatch', async () => {
    const error = await failure(world.sts({ ...BROKER_CREDENTIALS, secretAccessKey: 'not-the-secret' }).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('refuses an unknown key, and a known key with another session token, as InvalidClientTokenId', async () => {
    const unknown = await failure(world.sts({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})));
    const wrongToken = await failure(world.sts({ ...BROKER_CREDENTIALS, sessionToken: 'forged' }).send(new GetCallerIdentityCommand({})));
    expect([unknown.name, wrongToken.name]).toEqual(['InvalidClientTokenId', 'InvalidClientTokenId']);
  });

  it('refuses expired credentials with ExpiredToken', async () => {
    const out = await assume();
    const creds = { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken ?? '' };
    world.advance(901);

    const error = await failure(world.sts(creds).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('ExpiredToken');
  });
});
