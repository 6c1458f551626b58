import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { demoCommands } from '../../dev/start-banner.ts';
import { freePort } from '../../dev/free-port.ts';
import type { StackInfo } from '../../dev/stack-file.ts';
import { pointAt, readmeBlocks, runBlocks, shellBlocks, type ScriptRun } from '../support/walkthrough.ts';

// README.md's walkthrough, run for real: every ```sh block of its section, in
// bash, against this test stack's demo tenant (seeded by dev/demo.ts at start),
// with only its top variables pointed here. It ends at a real psql and mariadb
// session through the printed commands, and the tunnel cut by a revoke.
// The banner's own commands (dev/start-banner.ts) are run the same way.

/** What a reader sees when each step of the walkthrough worked. */
const WORKED: [string, RegExp][] = [
  ['the demo targets are listed', /^orders-pg postgres tgt_\w+$/m],
  ['bob approves', /^approved until \d{4}-\d\d-\d\dT/m],
  ['psql connects as app_ro', /^ current_user \n-+\n app_ro\n\(1 row\)$/m],
  ['mariadb connects through the tunnel as app_ro', /^current_user\(\)\napp_ro@%$/m],
  ['the revoke ends the tunnel’s session', /^revoked, sessions ended: 1$/m],
  ['the tunnel says it was terminated', /^tunnel: Session \S+ was terminated\. Every connection through it was closed\.$/m],
];

const missing = (run: ScriptRun) => WORKED.filter(([, pattern]) => !pattern.test(run.stdout)).map(([what]) => what);

let pointed: (blocks: string[]) => Promise<string[]>;

beforeAll(() => {
  pointed = async (blocks) => pointAt(blocks, { API: inject('apiUrl'), LATCHKEY_HOME: inject('latchkeyHome'), TUNNEL_PORT: String(await freePort()) });
});

describe('README.md’s walkthrough', () => {
  it('has blocks to run, and each top variable defined once', async () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const script = (await pointed(blocks)).join('\n');
    expect(script).toContain(`API='${inject('apiUrl')}'`);
    expect(script).not.toContain('127.0.0.1:4480');
    expect(() => pointAt(['API=a\n', 'API=b\n'], { API: 'x' })).toThrow('assigns API 2 times');
    expect(() => pointAt(['echo $API\n'], { API: 'x' })).toThrow('assigns API 0 times');
  });

  it('runs as written: approval, credentials, psql and mariadb sessions as app_ro, the tunnel cut by a revoke', async () => {
    const run = await runBlocks(await pointed(readmeBlocks()));
    expect(missing(run), `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toEqual([]);
    expect(run.code).toBe(0);
    // One output per block: the markers were not swallowed by a block that exited early.
    expect(run.outputs).toHaveLength(readmeBlocks().length);
    // Nothing in it printed the token.
    expect(run.stdout).not.toMatch(/X-Amz-Signature=/);
  }, 180_000);

  it('fails when a command in it is broken: here, the approver’s token swapped for the requester’s', async () => {
    const blocks = readmeBlocks();
    const broken = blocks.map((b) => b.replaceAll('Bearer $BOB', 'Bearer $ALICE'));
    expect(broken).not.toEqual(blocks);
    const run = await runBlocks(await pointed(broken));
    expect(missing(run)).toEqual(expect.arrayContaining(['bob approves', 'psql connects as app_ro', 'mariadb connects through the tunnel as app_ro']));
  }, 180_000);

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
