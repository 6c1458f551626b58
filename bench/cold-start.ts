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
// Each sample records wall time and the process's CPU time for the import; on a
// shared machine the CPU figure is the steadier one.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const env = { PATH: process.env.PATH, MAIN_TABLE: 'latchkey-main-bench', LOG_TABLE: 'latchkey-log-bench', AWS_REGION: 'eu-central-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Wall time of the import, and the CPU time (user + system) it took: on a loaded machine the second barely moves while the first doubles. */
async function importMs(file: string): Promise<{ wall: number; cpu: number }> {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(file)}); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: w, cpu: (u.user + u.system) / 1000 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 30_000 });
  return JSON.parse(stdout) as { wall: number; cpu: number };
}

type Esbuild = { banner: { js: string }; minify?: boolean; mainFields?: string[]; treeShaking?: boolean };

const BARE = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => ({ statusCode: 200, body: String(Boolean(client)) });\n";

/**
 * Entries bundled here with the functions' esbuild settings (serverless.yml), timed in the same rounds:
 * the zod spike (the bare handler plus the request schemas in zod classic, and in zod/mini), the bare
 * handler plus each other piece an API function holds (lib-dynamodb, middy, Powertools), and
 * issue-credentials with what its first issuance loads lazily (STS, the RDS signer), so the cost the lazy
 * loads move out of the import is still printed, and revoke-request with the same two (as it imported them before);
 * and issue-credentials with the (lazily loaded, so unevaluated) SSM client kept out of the bundle.
 */
const EXTRAS: { name: string; source: string; external?: string[] }[] = [
  { name: '(spike: bare + request schemas, zod classic)', source: `${BARE}export * from ${JSON.stringify(join(repo, 'bench/zod-spike/classic.ts'))};\n` },
  { name: '(spike: bare + request schemas, zod/mini)', source: `${BARE}export * from ${JSON.stringify(join(repo, 'bench/zod-spike/mini.ts'))};\n` },
  // What else an API function holds beyond the bare handler, one piece at a time.
  {
    name: '(spike: bare + lib-dynamodb DocumentClient)',
    source: `${BARE}import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const doc = DynamoDBDocumentClient.from(client);\n`,
  },
  {
    name: '(spike: bare + middy and its two HTTP middlewares)',
    source: `${BARE}import middy from '@middy/core';\nimport headers from '@middy/http-header-normalizer';\nimport body from '@middy/http-json-body-parser';\nexport const routed = middy(async () => ({})).use(headers()).use(body());\n`,
  },
  {
    name: '(spike: bare + Powertools logger and metrics)',
    source: `${BARE}import { Logger } from '@aws-lambda-powertools/logger';\nimport { Metrics } from '@aws-lambda-powertools/metrics';\nexport const logger = new Logger({ serviceName: 'bench' });\nexport const metrics = new Metrics({ namespace: 'bench', serviceName: 'bench' });\n`,
  },
  {
    name: 'issue-credentials + first issuance loads',
    source: `export { handler } from ${JSON.stringify(join(repo, 'functions/issue-credentials/handler.ts'))};\nawait Promise.all([import('@aws-sdk/client-sts'), import('@aws-sdk/rds-signer')]);\n`,
  },
  {
    name: 'revoke-request + STS and RDS signer (loaded at import before)',
    source: `export { handler } from ${JSON.stringify(join(repo, 'functions/revoke-request/handler.ts'))};\nawait Promise.all([import('@aws-sdk/client-sts'), import('@aws-sdk/rds-signer')]);\n`,
  },
  {
    // Not shippable as built here (the zip would need the package beside the bundle): what the SSM client's
    // text costs a broker import although it is never evaluated there.
    name: '(experiment: issue-credentials, SSM client left out of the bundle)',
    source: `export { handler } from ${JSON.stringify(join(repo, 'functions/issue-credentials/handler.ts'))};\n`,
    // The module ssm-session-starter.ts imports lazily, as written there; left unresolved, it is never loaded here.
    external: ['./ssm-commands.ts'],
  },
];

async function bundle(dir: string, name: string, source: string, external: string[] = []): Promise<string> {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, source);
  const outfile = join(dir, name, 'handler.mjs');
  const custom = (parse(readFileSync(join(repo, 'serverless.yml'), 'utf8')) as { custom: { esbuild: Esbuild } }).custom.esbuild;
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node22', format: 'esm', banner: custom.banner,
    minify: custom.minify ?? false,
    ...(custom.mainFields ? { mainFields: custom.mainFields } : {}),
    ...(custom.treeShaking !== undefined ? { treeShaking: custom.treeShaking } : {}),
    nodePaths: [join(repo, 'node_modules')],
    external,
  });
  return outfile;
}

function unzipFunction(dir: string, zip: string): { name: string; file: string; zipKb?: number } {
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
    // Any issuer but the placeholder, which infra/deploy-guard.mjs refuses; the bundles do not depend on it.
    const issuer = '--param=oidcIssuer=https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_BenchOnly1';
    await run(process.execPath, [join(repo, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'bench', issuer], { cwd: repo, timeout: 300_000 });
  }
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cold-'));
  try {
    const bare = await bundle(dir, 'bare', BARE);
    const extras = await Promise.all(EXTRAS.map(async (x, i) => ({ name: x.name, file: await bundle(dir, `extra-${i}`, x.source, x.external) })));
    const functions = readdirSync(join(repo, '.serverless'))
      .filter((f) => f.endsWith('.zip'))
      .sort()
      .map((zip) => unzipFunction(dir, zip))
      .concat(extras)
      .filter((f) => !only || only.some((o) => f.name.includes(o))); // BENCH_COLD_ONLY=whoami,spike: by name, substrings
    // One untimed import of each file first, so the page cache is warm for all alike.
    await importMs(bare);
    for (const f of functions) await importMs(f.file);

    type Pairs = { fn: number[]; bare: number[] };
    const wall = new Map<string, Pairs>(functions.map((f) => [f.name, { fn: [], bare: [] }]));
    const cpu = new Map<string, Pairs>(functions.map((f) => [f.name, { fn: [], bare: [] }]));
    for (let round = 0; round < samples; round++) {
      for (const f of shuffle(functions)) {
        const b = await importMs(bare);
        const x = await importMs(f.file);
        wall.get(f.name)!.bare.push(b.wall);
        wall.get(f.name)!.fn.push(x.wall);
        cpu.get(f.name)!.bare.push(b.cpu);
        cpu.get(f.name)!.fn.push(x.cpu);
      }
    }

    const perPair = (t: Pairs) => {
      const ratios = t.fn.map((ms, i) => ms / t.bare[i]!).sort((a, b) => a - b);
      return `${ratios[0]!.toFixed(2)} / ${median(ratios).toFixed(2)} / ${ratios[ratios.length - 1]!.toFixed(2)}`;
    };
    const allBare = (m: Map<string, Pairs>) => [...m.values()].flatMap((t) => t.bare);
    const rows: (string | number)[][] = [[
      'function', 'bundle KB', 'zip KB',
      'wall ms min / med / max', 'x bare (wall medians)', 'x bare per pair',
      'CPU ms min / med / max', 'x bare (CPU medians)', 'x bare per pair (CPU)',
    ]];
    rows.push(['(bare: one DynamoDBClient)', statSync(bare).size / 1024, '-', range(allBare(wall)), 1, '-', range(allBare(cpu)), 1, '-']);
    for (const f of functions) {
      const w = wall.get(f.name)!;
      const c = cpu.get(f.name)!;
      rows.push([f.name, statSync(f.file).size / 1024, f.zipKb ?? '-', range(w.fn), median(w.fn) / median(w.bare), perPair(w), range(c.fn), median(c.fn) / median(c.bare), perPair(c)]);
    }
    console.log(table(rows));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
