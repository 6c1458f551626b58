import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// STYLE.md: load the SSM client only when a tunnel is asked. A fresh process, because this one may have loaded it already.
const script = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url)('module')._cache).some((k) => k.includes('@aws-sdk/client-ssm'));
await import('#functions/issue-credentials/handler');
const atImport = loaded();
const { SsmSessionStarter } = await import('#shared/adapters/aws/ssm-session-starter');
await new SsmSessionStarter({ endpoint: 'http://127.0.0.1:9' }).terminate({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c', expiration: new Date() }, 'eu-central-1', 's').catch(() => {});
process.stdout.write(JSON.stringify({ atImport, afterFirstCall: loaded() }));
`;

it('imports the issue-credentials handler without the SSM client, and loads it on the first SSM call', async () => {
  const env = { PATH: process.env.PATH, MAIN_TABLE: 'latchkey-main-test', LOG_TABLE: 'latchkey-log-test', AWS_REGION: 'eu-central-1', LATCHKEY_SILENT: '1' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, cwd: process.cwd(), timeout: 60_000 });
  expect(JSON.parse(stdout)).toEqual({ atImport: false, afterFirstCall: true });
}, 60_000);
