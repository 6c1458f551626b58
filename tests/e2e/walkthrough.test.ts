import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { demoCommands } from '../../dev/start-banner.ts';
import { freePort } from '../../dev/free-port.ts';
import type { StackInfo } from '../../dev/stack-file.ts';
import { api } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { pointAt, readmeBlocks, runBlocks, shellBlocks, type ScriptRun } from '../support/walkthrough.ts';

// README.md's walkthrough, run for real: every ```sh block of its section, in
// bash, against this test stack's demo tenant (seeded by dev/demo.ts at start),
// with only its top variables pointed here. The walkthrough drives the latchkey
// CLI to real psql and mariadb sessions (one through the tunnel); its appendix
// does the same over curl with the printed commands, and a revoke cuts a tunnel.
// The banner's own commands (dev/start-banner.ts) are run the same way.

/** What a reader sees when each step of the CLI walkthrough worked. */
const CLI_WORKED: [string, RegExp][] = [
  ['the demo targets are listed', /^orders-pg +postgres +latchkey-postgres\.\S+:\d+ +app_ro,app_rw +- +4h +tgt_\w+$/m],
  ['bob sees the request waiting', /^req_\w+ +pending +orders-pg +app_ro +alice +1h /m],
  ['bob approves', /^req_\w+: approved \(open until \d{4}-\d\d-\d\dT/m],
  ['psql connects as app_ro', /^ current_user \n-+\n app_ro\n\(1 row\)$/m],
  ['mariadb connects through the tunnel as app_ro', /^current_user\(\)\napp_ro@%$/m],
  ['bob revokes', /^req_\w+: revoked$/m],
  ['the request shows the revoke', /^revoked by: +bob$/m],
];

/** What a reader sees when each step of the curl appendix worked. */
const CURL_WORKED: [string, RegExp][] = [
  ['the demo targets are listed', /^orders-pg postgres tgt_\w+$/m],
  ['bob approves', /^approved until \d{4}-\d\d-\d\dT/m],
  ['psql connects as app_ro', /^ current_user \n-+\n app_ro\n\(1 row\)$/m],
  ['mariadb connects through the tunnel as app_ro', /^current_user\(\)\napp_ro@%$/m],
  ['the revoke ends the tunnel’s session', /^revoked, sessions ended: 1$/m],
  ['the tunnel says it was terminated', /^tunnel: Session \S+ was terminated\. Every connection through it was closed\.$/m],
];

const APPENDIX = '## Appendix: the raw API';
const missing = (worked: [string, RegExp][], run: ScriptRun) => worked.filter(([, pattern]) => !pattern.test(run.stdout)).map(([what]) => what);

let configHome: string;
/** Each run a reader's fresh terminal: no cached `latchkey login` of the machine's user either. */
const run = (blocks: string[]) => runBlocks(blocks, { env: { XDG_CONFIG_HOME: configHome } });
const pointedCli = (blocks: string[]) => pointAt(blocks, { LATCHKEY_HOME: inject('latchkeyHome') });
const pointedCurl = async (blocks: string[]) =>
  pointAt(blocks, { API: inject('apiUrl'), LATCHKEY_HOME: inject('latchkeyHome'), TUNNEL_PORT: String(await freePort()) });

beforeAll(() => {
  configHome = mkdtempSync(join(tmpdir(), 'latchkey-walkthrough-'));
});
afterAll(() => rmSync(configHome, { recursive: true, force: true }));

/**
 * `connect` reuses an open grant, so a run after another would connect on the last run's grant even
 * with the approval broken: each run starts where a reader does, with no grant of alice's open.
 */
async function revokeOpenGrants(): Promise<void> {
  const admin = api(await tokenFor({ sub: 'ada', tenant: 'acme', roles: ['admin'] }));
  const open = await admin.get('/requests?view=tenant&status=approved&limit=100');
  expect(open.status).toBe(200);
  for (const request of open.body.items as { requestId: string }[]) {
    expect((await admin.post(`/requests/${request.requestId}/revoke`, { note: 'walkthrough test: start afresh' })).status).toBe(200);
  }
}

describe('README.md’s walkthrough, with the latchkey CLI', () => {
  beforeEach(revokeOpenGrants);

  it('has blocks to run, pointed at this stack’s home', () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(pointedCli(blocks).join('\n')).toContain(`LATCHKEY_HOME='${inject('latchkeyHome')}'`);
    expect(() => pointAt(['API=a\n', 'API=b\n'], { API: 'x' })).toThrow('assigns API 2 times');
    expect(() => pointAt(['echo $API\n'], { API: 'x' })).toThrow('assigns API 0 times');
  });

  it('runs as written: targets, request, approval, psql as app_ro, mariadb through the tunnel, revoke', async () => {
    const result = await run(pointedCli(readmeBlocks()));
    expect(missing(CLI_WORKED, result), `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.outputs).toHaveLength(readmeBlocks().length);
    // Nothing in it printed a token: not the RDS one, not a bearer JWT.
    expect(result.stdout + result.stderr).not.toMatch(/X-Amz-Signature=|eyJ[\w-]+\.eyJ/);
  }, 180_000);

  it('fails when a command in it is broken: here, bob denies instead of approving', async () => {
    const blocks = readmeBlocks();
    const broken = blocks.map((b) => b.replace('bob approve $REQ --note ok', 'bob deny $REQ --note ok'));
    expect(broken).not.toEqual(blocks);
    const result = await run(pointedCli(broken));
    // The orders-pg request is denied, so connect finds no grant and, with no reason given, asks for none.
    expect(missing(CLI_WORKED, result)).toEqual(['psql connects as app_ro']);
  }, 180_000);
});

describe('README.md’s appendix: the raw API with curl', () => {
  it('has blocks to run, and each top variable defined once', async () => {
    const blocks = readmeBlocks(APPENDIX);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const script = (await pointedCurl(blocks)).join('\n');
    expect(script).toContain(`API='${inject('apiUrl')}'`);
    expect(script).not.toContain('127.0.0.1:4480');
  });

  it('runs as written: approval, credentials, psql and mariadb sessions as app_ro, the tunnel cut by a revoke', async () => {
    const blocks = readmeBlocks(APPENDIX);
    const result = await run(await pointedCurl(blocks));
    expect(missing(CURL_WORKED, result), `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toEqual([]);
    expect(result.code).toBe(0);
    // One output per block: the markers were not swallowed by a block that exited early.
    expect(result.outputs).toHaveLength(blocks.length);
    expect(result.stdout).not.toMatch(/X-Amz-Signature=/);
  }, 180_000);

  it('fails when a command in it is broken: here, the approver’s token swapped for the requester’s', async () => {
    const blocks = readmeBlocks(APPENDIX);
    const broken = blocks.map((b) => b.replaceAll('Bearer $BOB', 'Bearer $ALICE'));
    expect(broken).not.toEqual(blocks);
    const result = await run(await pointedCurl(broken));
    expect(missing(CURL_WORKED, result)).toEqual(expect.arrayContaining(['bob approves', 'psql connects as app_ro', 'mariadb connects through the tunnel as app_ro']));
  }, 180_000);
});

describe('walkthrough sections', () => {
  it('extracts only the ```sh blocks of its own section', () => {
    const md = ['# T', '## Other', '```sh', 'echo no', '```', '## Walkthrough: x', 'text', '```sh', 'echo one', '```', '```json', '{}', '```', '```sh', 'echo two', '```', '## Next', '```sh', 'echo no', '```'].join('\n');
    expect(shellBlocks(md)).toEqual(['echo one\n', 'echo two\n']);
    expect(() => shellBlocks('# nothing')).toThrow('no section');
  });
});

describe('the banner’s commands (dev/start-banner.ts)', () => {
  it('go from nothing to a psql session as app_ro on the demo’s orders-pg', async () => {
    const info = JSON.parse(readFileSync(join(inject('latchkeyHome'), 'stack.json'), 'utf8')) as StackInfo;
    expect(info.demo?.tenant).toBe('acme');
    const lines = demoCommands(info, { ...info.demo!, notices: [] });
    // A psql prompt reading from a pipe: the line a reader would type, then end of input.
    const run = await runBlocks([lines.join('\n')], { stdin: 'select current_user;\n' });
    expect(run.stdout, run.stderr).toMatch(/"status":"approved"/);
    expect(run.stdout, run.stderr).toMatch(/^ current_user \n-+\n app_ro\n\(1 row\)$/m);
    expect(run.code).toBe(0);
  }, 120_000);
});
