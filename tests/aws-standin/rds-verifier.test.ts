import { readFileSync } from 'node:fs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { Signer } from '@aws-sdk/rds-signer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyRdsToken } from '#dev/aws-standin/rds-verifier';
import { StandinState } from '#dev/aws-standin/state';
import { CUSTOMER_ACCOUNT, CUSTOMER_ROLE_ARN, DB, EXTERNAL_ID, REGION, customerPermissions, customerTrustPolicy, sessionPolicy, startWorld } from './world.ts';

afterEach(() => {
  vi.useRealTimers();
});

function customerState(): StandinState {
  const state = new StandinState();
  state.addRole({ arn: CUSTOMER_ROLE_ARN, trustPolicy: customerTrustPolicy(), permissionPolicies: [customerPermissions] });
  state.addDatabase({ ...DB, region: REGION, account: CUSTOMER_ACCOUNT });
  return state;
}

const minutes = (n: number, from = Date.now()) => new Date(from + n * 60_000);
const tokenFor = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, overrides: Partial<{ hostname: string; port: number; username: string }> = {}) =>
  new Signer({ hostname: DB.hostname, port: DB.port, region: REGION, username: 'app_reader', credentials, ...overrides }).getAuthToken();
const expectFor = (now: Date, dbUser = 'app_reader') => ({ hostname: DB.hostname, port: DB.port, dbUser, now });

describe('verifyRdsToken', () => {
  it('accepts a token the RDS signer made with credentials from AssumeRole', async () => {
    const world = await startWorld();
    try {
      const out = await world.sts().send(new AssumeRoleCommand({ RoleArn: CUSTOMER_ROLE_ARN, RoleSessionName: 'req-1', ExternalId: EXTERNAL_ID, Policy: JSON.stringify(sessionPolicy(minutes(30))) }));
      const c = out.Credentials;
      const token = await tokenFor({ accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' });

      expect(await verifyRdsToken(token, expectFor(new Date()), world.state)).toEqual({ ok: true, principalArn: out.AssumedRoleUser?.Arn, dbUser: 'app_reader' });
    } finally {
      await world.standin.close();
    }
  });

  describe('refuses', () => {
    const state = customerState();
    const until = minutes(10);
    const creds = state.issueCredentialsFor(CUSTOMER_ROLE_ARN, { sessionName: 'req-2', sessionPolicy: sessionPolicy(until) });

    it.each([
      ['another dbuser', async () => tokenFor(creds), expectFor(new Date(), 'app_writer'), 'wrong-user'],
      ['another host', async () => tokenFor(creds, { hostname: 'other.cluster-abc.eu-central-1.rds.amazonaws.com' }), expectFor(new Date()), 'wrong-host'],
      ['another port', async () => tokenFor(creds, { port: 5433 }), expectFor(new Date()), 'wrong-port'],
      ['a dbuser the role allows but the session policy does not', async () => tokenFor(creds, { username: 'app_writer' }), expectFor(new Date(), 'app_writer'), 'not-authorized'],
      ['a token after its 15 minutes', async () => tokenFor(creds), expectFor(minutes(16)), 'expired'],
      ['a token after the session policy’s DateLessThan', async () => tokenFor(creds), expectFor(minutes(11)), 'not-authorized'],
      ['a tampered signature', async () => (await tokenFor(creds)).replace(/.$/, (c) => (c === '0' ? '1' : '0')), expectFor(new Date()), 'bad-signature'],
      ['a tampered DBUser', async () => (await tokenFor(creds)).replace('DBUser=app_reader', 'DBUser=app_writer'), expectFor(new Date(), 'app_writer'), 'bad-signature'],
      ['another session token', async () => tokenFor({ ...creds, sessionToken: 'forged' }), expectFor(new Date()), 'bad-session-token'],
      ['credentials it never issued', async () => tokenFor({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }), expectFor(new Date()), 'unknown-credentials'],
      ['a host no database is registered at', async () => tokenFor(creds, { hostname: 'db.example.com' }), { ...expectFor(new Date()), hostname: 'db.example.com' }, 'unknown-database'],
    ])('%s', async (_, makeToken, expected, reason) => {
      expect(await verifyRdsToken(await makeToken(), expected, state)).toMatchObject({ ok: false, reason });
    });
  });

  it('refuses a fresh token signed with credentials that have since expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const state = customerState();
    const creds = state.issueCredentialsFor(CUSTOMER_ROLE_ARN, { durationSeconds: 900 });
    vi.setSystemTime(minutes(14));
    const token = await tokenFor(creds);

    expect(await verifyRdsToken(token, expectFor(minutes(2)), state)).toMatchObject({ ok: false, reason: 'credentials-expired' });
  });

  it('accepts the AWS CLI’s own tokens from the fixture vectors', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../../../shared/fixtures/rds-token-vectors.json', import.meta.url), 'utf8')) as {
      vectors: { clock: string; accessKeyId: string; secretAccessKey: string; sessionToken: string | null; hostname: string; port: number; region: string; username: string; token: string }[];
    };
    for (const [i, v] of fixture.vectors.entries()) {
      const state = new StandinState();
      const arn = v.sessionToken ? `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/vector/v${i}` : `arn:aws:iam::${CUSTOMER_ACCOUNT}:user/vector${i}`;
      state.addPrincipalCredentials({ arn, accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, ...(v.sessionToken && { sessionToken: v.sessionToken, expiration: new Date('2100-01-01') }) });
      state.addDatabase({ hostname: v.hostname, port: v.port, region: v.region, account: CUSTOMER_ACCOUNT, resourceId: `db-VECTOR${i}` });
      const now = new Date(Date.parse(v.clock) + 60_000);

      expect(await verifyRdsToken(v.token, { hostname: v.hostname, port: v.port, dbUser: v.username, now }, state)).toEqual({ ok: true, principalArn: arn, dbUser: v.username });
    }
  });
});
