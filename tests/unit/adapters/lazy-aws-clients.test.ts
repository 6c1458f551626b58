import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// STYLE.md: load the SSM client only when a tunnel is asked; likewise STS and the RDS signer only on the
// path that calls them. A fresh process per case, because this one may have loaded them already.
// STS at a closed port with dummy keys: the AssumeRole fails at once, after its module was loaded.
const env = { PATH: process.env.PATH, MAIN_TABLE: 'latchkey-main-test', LOG_TABLE: 'latchkey-log-test', AWS_REGION: 'eu-central-1', LATCHKEY_SILENT: '1', STS_ENDPOINT: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-secret' };
const LAZY = ['@aws-sdk/client-ssm', '@aws-sdk/client-sts', '@aws-sdk/rds-signer'] as const;

/** Runs `body` after importing `handler`; prints which lazy modules were loaded at import and after `body`. */
async function loadedModules(handler: string, body: string): Promise<{ atImport: string[]; after: string[] }> {
  const script = `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url)('module')._cache;
const loaded = () => ${JSON.stringify(LAZY)}.filter((m) => Object.keys(cache).some((k) => k.includes(m)));
await import(${JSON.stringify(handler)});
const atImport = loaded();
const credentials = { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c', expiration: new Date() };
${body}
process.stdout.write(JSON.stringify({ atImport, after: loaded() }));
`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, cwd: process.cwd(), timeout: 60_000 });
  return JSON.parse(stdout) as { atImport: string[]; after: string[] };
}

describe('AWS clients other than DynamoDB are loaded on first use, not when a function starts', () => {
  it('issue-credentials: SSM on the first SSM call', async () => {
    const seen = await loadedModules('#functions/issue-credentials/handler', `
const { SsmSessionStarter } = await import('#shared/adapters/aws/ssm-session-starter');
await new SsmSessionStarter({ endpoint: 'http://127.0.0.1:9' }).terminate(credentials, 'eu-central-1', 's').catch(() => {});`);
    expect(seen).toEqual({ atImport: [], after: ['@aws-sdk/client-ssm'] });
  }, 60_000);

  it('issue-credentials: STS on the first AssumeRole, the RDS signer on the first token', async () => {
    const seen = await loadedModules('#functions/issue-credentials/handler', `
const { mintingDeps } = await import('#shared/wiring/minting');
await mintingDeps.roleAssumer.assume({ roleArn: 'arn:aws:iam::111122223333:role/x', externalId: 'e', sessionName: 's', sourceIdentity: 'u', tags: [], durationSeconds: 900, policy: '{}' }).catch(() => {});
await mintingDeps.tokenSigner.sign({ hostname: 'db.example', port: 5432, region: 'eu-central-1', username: 'u', credentials });`);
    expect(seen).toEqual({ atImport: [], after: ['@aws-sdk/client-sts', '@aws-sdk/rds-signer'] });
  }, 60_000);

  it('revoke-request and verify-integration start without them', async () => {
    expect((await loadedModules('#functions/revoke-request/handler', '')).atImport).toEqual([]);
    expect((await loadedModules('#functions/verify-integration/handler', '')).atImport).toEqual([]);
  }, 60_000);
});
