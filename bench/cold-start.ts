import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { zipEntries } from '../tests/package/template-helpers.ts';
import { median, table } from './stats.ts';

// Cold import time of each bundled function, as Lambda would load it (a fresh
// Node process importing the .mjs from its zip), against a bare handler that
// builds one DynamoDB client, bundled with the same esbuild settings.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const env = { PATH: process.env.PATH, MAIN_TABLE: 'latchkey-main-bench', LOG_TABLE: 'latchkey-log-bench', AWS_REGION: 'eu-central-1' };

async function importMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 30_000 });
  return Number(stdout);
}

async function bareHandler(dir: string): Promise<string> {
  const entry = join(dir, 'bare.ts');
  writeFileSync(entry, "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => ({ statusCode: 200, body: String(Boolean(client)) });\n");
  const outfile = join(dir, 'bare', 'handler.mjs');
  const custom = (parse(readFileSync(join(repo, 'serverless.yml'), 'utf8')) as { custom: { esbuild: { banner: { js: string } } } }).custom.esbuild;
  await build({ entryPoints: [entry], outfile, bundle: true, minify: true, platform: 'node', target: 'node22', format: 'esm', banner: custom.banner, nodePaths: [join(repo, 'node_modules')] });
  return outfile;
}

export async function main(samples = Number(process.env.BENCH_COLD_SAMPLES ?? 7)): Promise<void> {
  console.log('\n## Cold import of each bundled function (osls package, fresh node process per sample)\n');
  await run(process.execPath, [join(repo, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'bench'], { cwd: repo, timeout: 300_000 });
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cold-'));
  try {
    const bare = await bareHandler(dir);
    const sequential = async (file: string) => {
      const times: number[] = [];
      for (let i = 0; i < samples; i++) times.push(await importMs(file));
      return median(times);
    };
    const baseline = await sequential(bare);
    const rows: (string | number)[][] = [['function', 'bundle KB', 'zip KB', 'import ms (median)', 'x bare']];
    rows.push(['(bare: one DynamoDBClient)', statSync(bare).size / 1024, '-', baseline, 1]);
    const zips = readdirSync(join(repo, '.serverless')).filter((f) => f.endsWith('.zip')).sort();
    for (const zip of zips) {
      const name = zip.replace(/\.zip$/, '');
      const target = join(dir, name);
      mkdirSync(target, { recursive: true });
      const buffer = readFileSync(join(repo, '.serverless', zip));
      for (const [entry, data] of zipEntries(buffer)) {
        mkdirSync(join(target, entry, '..'), { recursive: true });
        writeFileSync(join(target, entry), data);
      }
      const file = join(target, 'functions', name, 'handler.mjs');
      const ms = await sequential(file);
      rows.push([name, statSync(file).size / 1024, buffer.length / 1024, ms, ms / baseline]);
    }
    console.log(table(rows));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
