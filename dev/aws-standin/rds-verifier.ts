import { authorize } from './authorize.ts';
import type { Principal } from './model.ts';
import type { SigV4FailureCode } from './sigv4.ts';
import { parsePresignedUrl, verifyPresignedSigV4 } from './sigv4-presigned.ts';
import type { StandinState } from './state.ts';

// Judges an RDS IAM auth token the way RDS does at connect time: a SigV4
// presigned `connect` URL for this host, port and user, within its 15 minutes,
// signed by live credentials whose effective policy (role permissions AND
// session policy, at `now`) allows rds-db:connect on this dbuser ARN.

export type RdsTokenRejection =
  | 'malformed'
  | 'wrong-action'
  | 'wrong-user'
  | 'wrong-host'
  | 'wrong-port'
  | 'wrong-expiry'
  | 'wrong-scope'
  | 'unknown-database'
  | 'unknown-credentials'
  | 'bad-session-token'
  | 'bad-signature'
  | 'expired'
  | 'credentials-expired'
  | 'not-authorized';

export type RdsTokenVerdict =
  | { ok: true; principalArn: string; dbUser: string }
  | { ok: false; reason: RdsTokenRejection; detail: string };

export interface RdsConnection {
  hostname: string;
  port: number;
  dbUser: string;
  now: Date;
}

const SIGV4_REASONS: Record<SigV4FailureCode, RdsTokenRejection> = {
  'missing-authentication': 'malformed',
  'incomplete-signature': 'malformed',
  'wrong-scope': 'wrong-scope',
  'unknown-access-key': 'unknown-credentials',
  'invalid-session-token': 'bad-session-token',
  'signature-mismatch': 'bad-signature',
  'signature-expired': 'expired',
  'expired-token': 'credentials-expired',
};

const reject = (reason: RdsTokenRejection, detail: string): RdsTokenVerdict => ({ ok: false, reason, detail });

export async function verifyRdsToken(token: string, expect: RdsConnection, state: StandinState): Promise<RdsTokenVerdict> {
  const url = parsePresignedUrl(token);
  const hostMatch = url ? /^(.+):(\d+)$/.exec(url.host) : null;
  if (!url || !hostMatch || url.path !== '/') return reject('malformed', 'not a presigned host:port/?… URL');
  const [, hostname = '', port = ''] = hostMatch;
  const params = url.params;
  if (hostname.toLowerCase() !== expect.hostname.toLowerCase()) return reject('wrong-host', `token is for ${hostname}`);
  if (Number(port) !== expect.port) return reject('wrong-port', `token is for port ${port}`);
  if (params.Action !== 'connect') return reject('wrong-action', `Action is ${params.Action ?? 'missing'}`);
  if (params.DBUser !== expect.dbUser) return reject('wrong-user', `token is for ${params.DBUser ?? 'no user'}`);
  if (params['X-Amz-Expires'] !== '900') return reject('wrong-expiry', 'RDS tokens are valid for exactly 900 seconds');

  const database = state.findDatabase(expect.hostname, expect.port);
  if (!database) return reject('unknown-database', `no database registered at ${expect.hostname}:${expect.port}`);
  const verified = await verifyPresignedSigV4<Principal>(url, (id) => state.lookupCredential(id), {
    service: 'rds-db',
    region: database.region,
    now: expect.now,
  });
  if (!verified.ok) return reject(SIGV4_REASONS[verified.code], verified.message);

  const principal = verified.credential;
  const resource = `arn:aws:rds-db:${database.region}:${database.account}:dbuser:${database.resourceId}/${expect.dbUser}`;
  if (principal.account !== database.account) return reject('not-authorized', `${principal.arn} is in another account than ${resource}`);
  const decision = authorize(state, principal, 'rds-db:connect', [{ arn: resource }], expect.now);
  if (!decision.allowed) return reject('not-authorized', `${principal.arn} may not rds-db:connect to ${resource} ${decision.because}`);
  return { ok: true, principalArn: principal.arn, dbUser: expect.dbUser };
}
