import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildDocument, REGENERATE } from './document.ts';
import { renderMarkdown } from './markdown.ts';

// `npm run openapi`: writes the three generated files. Tests regenerate them in memory
// and fail when a committed one differs (tests/unit/openapi/generated.test.ts).

export const outputs = {
  document: 'docs/openapi.json',
  markdown: 'docs/api.md',
  clientTypes: 'client/schema.d.ts',
} as const;

export type Generated = Record<keyof typeof outputs, string>;

export async function generate(): Promise<Generated> {
  const document = buildDocument();
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const types = astToString(await openapiTS(JSON.parse(json) as never));
  return {
    document: json,
    markdown: renderMarkdown(JSON.parse(json)),
    clientTypes: `// Generated from docs/openapi.json by openapi-typescript: do not edit; run \`${REGENERATE}\`.\n\n${types}`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generated = await generate();
  for (const [name, path] of Object.entries(outputs)) {
    writeFileSync(new URL(`../${path}`, import.meta.url), generated[name as keyof Generated]);
    console.log(`wrote ${path}`);
  }
}
