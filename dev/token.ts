import { parseArgs } from 'node:util';
import { allRoles } from '#shared/kernel/principal';
import { mintToken } from './oidc/mint-token.ts';

// `npm run -s token -- --user alice --tenant acme --roles requester,approver`
// prints ONLY the token on stdout, so `TOKEN=$(npm run -s token -- …)` works;
// everything else goes to stderr.

const USAGE = `usage: npm run -s token -- --user ID --tenant ID --roles r1,r2 [options]

  --user ID          the token's sub
  --tenant ID        the tenant claim
  --roles LIST       comma-separated: ${allRoles.join(', ')}
  --groups LIST      comma-separated groups (default none)
  --name TEXT        display name claim
  --ttl SECONDS      lifetime (default 3600)
  --audience AUD     aud claim (default latchkey)
  --issuer URL       iss claim (default: the running stack's, from <home>/stack.json)
  --auth-age MINUTES how long ago the person signed in: auth_time = now - this (default 0, a fresh sign-in)
  --amr LIST         comma-separated amr methods (default pwd; pwd,mfa for a sign-in with MFA)
  --home DIR         where the signing key lives (default LATCHKEY_HOME or .latchkey)`;

const list = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        user: { type: 'string' },
        sub: { type: 'string' },
        tenant: { type: 'string' },
        roles: { type: 'string' },
        groups: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string' },
        audience: { type: 'string' },
        issuer: { type: 'string' },
        'auth-age': { type: 'string' },
        amr: { type: 'string' },
        home: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sub = values.user ?? values.sub;
  if (!sub) fail('--user is required');
  if (!values.tenant) fail('--tenant is required');
  const roles = list(values.roles);
  const unknown = roles.filter((r) => !(allRoles as readonly string[]).includes(r));
  if (unknown.length > 0) fail(`unknown role(s): ${unknown.join(', ')}`);
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) fail('--ttl must be a positive whole number of seconds');

  const authAge = values['auth-age'] === undefined ? 0 : Number(values['auth-age']);
  if (!Number.isInteger(authAge) || authAge < 0) fail('--auth-age must be a whole number of minutes, 0 or more');
  const amr = values.amr === undefined ? ['pwd'] : list(values.amr);
  if (amr.length === 0) fail('--amr needs at least one method');
  const now = new Date();

  const token = await mintToken({
    now,
    // Step-up rules (docs/policy-rules.md) read when and how the person signed in.
    claims: { auth_time: Math.floor(now.getTime() / 1000) - authAge * 60, amr },
    sub,
    tenant: values.tenant,
    roles,
    groups: list(values.groups),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(ttl === undefined ? {} : { ttlSeconds: ttl }),
    ...(values.audience === undefined ? {} : { audience: values.audience }),
    ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
    ...(values.home === undefined ? {} : { home: values.home }),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(1);
});
