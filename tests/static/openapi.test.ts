import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { generate, outputs, type Generated } from '#openapi/generate';

// The generated files are what the generator makes today (`npm run openapi` rewrites them),
// and the document is valid OpenAPI 3.1 by Redocly's strictest built-in ruleset.

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('generated from the zod schemas and serverless.yml', () => {
  let generated: Generated;

  it.each(Object.entries(outputs))('%s is fresh: %s', async (name, path) => {
    generated ??= await generate();
    // A stale file: run `npm run openapi` and commit what it writes.
    expect(read(path) === generated[name as keyof Generated], `${path} is stale: run \`npm run openapi\``).toBe(true);
  });
});

describe('docs/openapi.json', () => {
  it('passes Redocly lint (recommended-strict: structure, refs, path parameters, operation ids, security)', async () => {
    // The one operation with no 4XX is the public document itself, which has nothing to refuse.
    const config = await createConfig({ extends: ['recommended-strict'], rules: { 'operation-4xx-response': 'off' } });
    const problems = await lintFromString({ source: read('docs/openapi.json'), absoluteRef: 'docs/openapi.json', config });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  }, 60_000);

  it('has a 4XX answer on every operation but the public document', () => {
    const doc = JSON.parse(read('docs/openapi.json')) as { paths: Record<string, Record<string, { responses: Record<string, unknown>; security: unknown[] }>> };
    const without = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => !Object.keys(op.responses).some((s) => s.startsWith('4')))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${op.security.length === 0 ? 'public' : 'secured'}`),
    );
    expect(without).toEqual(['GET /openapi.json public']);
  });
});
