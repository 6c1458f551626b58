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
//
// Paired and interleaved: every sample of a function is taken right after a
// sample of the bare handler, in the same round, and the order of functions is
// shuffled each round, so drift (other load on the machine, CPU frequency, page
// cache) hits both sides of each pair alike. The ratio is the median of the
// function's samples over the median of the bare samples paired with them.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const env = { PATH: process.env.PATH, MAIN_TABLE: 'latchkey-main-bench', LOG_TABLE: 'latchkey-log-bench', AWS_REGION: 'eu-central-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

async function importMs(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 30_000 });
  return Number(stdout);
}

type Esbuild = { banner: { js: string }; minify?: boolean; mainFields?: string[]; treeShaking?: boolean };

async function bareHandler(dir: string): Promise<string> {
  const entry = join(dir, 'bare.ts');
  writeFileSync(entry, "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => ({ statusCode: 200, body: String(Boolean(client)) });\n");
  const outfile = join(dir, 'bare', 'handler.mjs');
  const custom = (parse(readFileSync(join(repo, 'serverless.yml'), 'utf8')) as { custom: { esbuild: Esbuild } }).custom.esbuild;
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node22', format: 'esm', banner: custom.banner,
    minify: custom.minify ?? false,
    ...(custom.mainFields ? { mainFields: custom.mainFields } : {}),
    ...(custom.treeShaking !== undefined ? { treeShaking: custom.treeShaking } : {}),
    nodePaths: [join(repo, 'node_modules')],
  });
  return outfile;
}

function unzipFunction(dir: string, zip: string): { name: string; file: string; zipKb: number } {
  const name = zip.replace(/\.zip$/, '');
  const target = join(dir, name);
  mkdirSync(target, { recursive: true });
  const buffer = readFileSync(join(repo, '.serverless', zip));
  for (const [entry, data] of zipEntries(buffer)) {
    mkdirSync(join(target, entry, '..'), { recursive: true });
    writeFileSync(join(target, entry), data);
  }
  return { name, file: join(target, 'functions', name, 'handler.mjs'), zipKb: buffer.length / 1024 };
}

function shuffle<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)} / ${median(xs).toFixed(0)} / ${Math.max(...xs).toFixed(0)}`;

export async function main(samples = Number(process.env.BENCH_COLD_SAMPLES ?? 7), only = process.env.BENCH_COLD_ONLY?.split(',')): Promise<void> {
  console.log(`\n## Cold import of each bundled function (osls package, fresh node process per sample, ${samples} rounds, paired with the bare handler)\n`);
  if (!process.env.BENCH_COLD_SKIP_PACKAGE) {
    await run(process.execPath, [join(repo, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'bench'], { cwd: repo, timeout: 300_000 });
  }
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cold-'));
  try {
    const bare = await bareHandler(dir);
    const functions = readdirSync(join(repo, '.serverless'))
      .filter((f) => f.endsWith('.zip'))
      .sort()
      .map((zip) => unzipFunction(dir, zip))
      .filter((f) => !only || only.includes(f.name));
    // One untimed import of each file first, so the page cache is warm for all alike.
    await importMs(bare);
    for (const f of functions) await importMs(f.file);

    const times = new Map<string, { fn: number[]; bare: number[] }>(functions.map((f) => [f.name, { fn: [], bare: [] }]));
    for (let round = 0; round < samples; round++) {
      for (const f of shuffle(functions)) {
        const pair = times.get(f.name)!;
        pair.bare.push(await importMs(bare));
        pair.fn.push(await importMs(f.file));
      }
    }

    const allBare = [...times.values()].flatMap((t) => t.bare);
    const rows: (string | number)[][] = [['function', 'bundle KB', 'zip KB', 'import ms min / median / max', 'paired bare median ms', 'x bare (medians)', 'x bare per pair min / median / max']];
    rows.push(['(bare: one DynamoDBClient)', statSync(bare).size / 1024, '-', range(allBare), '-', 1, '-']);
    for (const f of functions) {
      const t = times.get(f.name)!;
      const ratios = t.fn.map((ms, i) => ms / t.bare[i]!);
      rows.push([f.name, statSync(f.file).size / 1024, f.zipKb, range(t.fn), median(t.bare), median(t.fn) / median(t.bare), ratios.map((r) => r.toFixed(2)).sort((a, b) => Number(a) - Number(b)).filter((_, i, xs) => i === 0 || i === xs.length - 1 || i === Math.ceil(xs.length / 2) - 1).join(' / ')]);
    }
    console.log(table(rows));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
