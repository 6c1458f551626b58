import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// "No Scan serves a user request": nothing that ships (functions/, shared/) may
// even name a Scan. The runtime half of this guard is recordCommands() in
// tests/support/grant-log.ts, which fails any integration test that sends one.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const forbidden = /\bScanCommand\b|\bpaginateScan\b|\.scan\s*\(|\bParallelScan\b|['"]Scan['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe('no Scan in shipped code', () => {
  it('finds the shipped sources to check', () => {
    expect(sources(join(root, 'shared')).length).toBeGreaterThan(10);
    expect(sources(join(root, 'functions')).length).toBeGreaterThan(5);
  });

  it('has no ScanCommand, paginateScan or .scan( under functions/ or shared/', () => {
    const offenders = ['functions', 'shared'].flatMap((dir) =>
      sources(join(root, dir)).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => [line, i] as const)
          .filter(([line]) => forbidden.test(line))
          .map(([line, i]) => `${relative(root, file)}:${i + 1}: ${line.trim()}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('would catch a scan if one were written', () => {
    for (const line of ["import { ScanCommand } from '@aws-sdk/lib-dynamodb';", 'await db.scan({ TableName })', 'paginateScan({ client }, {})']) {
      expect(forbidden.test(line)).toBe(true);
    }
  });
});
