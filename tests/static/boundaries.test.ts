import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The import boundaries of .dependency-cruiser.cjs, checked on the real tree and shown
// to fail on a tree that breaks each rule once (so a rule that matches nothing is caught).
const root = fileURLToPath(new URL('../..', import.meta.url));
const depcruise = path.join(root, 'node_modules/.bin/depcruise');
const run = promisify(execFile);

async function cruise(cwd: string, folders: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(depcruise, [...folders, '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('import boundaries', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'latchkey-boundaries-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('hold for functions/, shared/, cli/, dev/, bin/, bench/, openapi/ and client/', async () => {
    const { code, output } = await cruise(root, ['functions', 'shared', 'cli', 'dev', 'bin', 'bench', 'openapi', 'client']);
    expect(output).not.toMatch(/error /);
    expect(code).toBe(0);
  }, 60_000);

  it('fail once for each rule a module breaks', async () => {
    const file = (name: string, text: string) => {
      mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
      writeFileSync(path.join(scratch, name), text);
    };
    cpSync(path.join(root, 'tsconfig.json'), path.join(scratch, 'tsconfig.json'));
    cpSync(path.join(root, 'package.json'), path.join(scratch, 'package.json'));
    file('shared/kernel/clock.ts', "import '../minting/index.ts';\nexport const now = () => new Date();\n");
    file('shared/minting/index.ts', "export * from './mint.ts';\n");
    file('shared/minting/mint.ts', "import '../integrations/verify.ts';\nimport '../adapters/dynamodb/store.ts';\nimport '../../dev/standin.ts';\nimport '../../cli/main.ts';\nexport const mint = 1;\n");
    file('cli/main.ts', "import '../shared/adapters/dynamodb/store.ts';\nimport '../dev/standin.ts';\nexport const main = 1;\n");
    file('shared/integrations/index.ts', "export * from './verify.ts';\n");
    file('shared/integrations/verify.ts', "import { a } from './cycle-a.ts';\nexport const verify = a;\n");
    file('shared/integrations/cycle-a.ts', "import { b } from './cycle-b.ts';\nexport const a = 1;\nexport const c = b;\n");
    file('shared/integrations/cycle-b.ts', "import { c } from './cycle-a.ts';\nexport const b = 2;\nexport const d = c;\n");
    file('shared/adapters/dynamodb/store.ts', 'export const store = 1;\n');
    file('dev/standin.ts', 'export const standin = 1;\n');
    file('shared/targets/spec.ts', "import '../../openapi/document.ts';\nexport const spec = 1;\n");
    file('openapi/document.ts', 'export const document = 1;\n');
    file('client/index.ts', "import '../shared/targets/spec.ts';\nexport const client = 1;\n");
    const { code, output } = await cruise(scratch, ['shared', 'cli', 'dev', 'openapi', 'client']);
    expect(code).not.toBe(0);
    expect(output).toMatch(/kernel-is-the-bottom: shared\/kernel\/clock\.ts → shared\/minting\/index\.ts/);
    expect(output).toMatch(/feature-through-its-entry: shared\/minting\/mint\.ts → shared\/integrations\/verify\.ts/);
    expect(output).toMatch(/core-knows-no-infrastructure: shared\/minting\/mint\.ts → shared\/adapters\/dynamodb\/store\.ts/);
    expect(output).toMatch(/nothing-ships-dev: shared\/minting\/mint\.ts → dev\/standin\.ts/);
    expect(output).toMatch(/nothing-ships-the-cli: shared\/minting\/mint\.ts → cli\/main\.ts/);
    expect(output).toMatch(/cli-speaks-only-http: cli\/main\.ts → shared\/adapters\/dynamodb\/store\.ts/);
    expect(output).toMatch(/cli-speaks-only-http: cli\/main\.ts → dev\/standin\.ts/);
    expect(output).toMatch(/no-circular: shared\/integrations\/cycle-a\.ts → /);
    expect(output).toMatch(/server-ships-no-api-tooling: shared\/targets\/spec\.ts → openapi\/document\.ts/);
    expect(output).toMatch(/client-stands-alone: client\/index\.ts → shared\/targets\/spec\.ts/);
  }, 60_000);
});
