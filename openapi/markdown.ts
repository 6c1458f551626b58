import { REGENERATE } from './document.ts';

// docs/api.md: a short rendered view of docs/openapi.json (prose from the document's
// descriptions, one table per tag). Generated: edit openapi/operations.ts or openapi/prose/.

type Doc = {
  info: { description: string };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Op>>;
};
type Op = { summary: string; description?: string; tags: string[]; security: Array<Record<string, string[]>>; responses: Record<string, { description: string; content?: Record<string, unknown> }>; parameters?: Array<{ name: string; in: string }> };

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function auth(op: Op): string {
  if (op.security.length === 0) return 'public';
  return op.security.map((s) => (Object.keys(s)[0] === 'sigv4' ? 'SigV4' : 'JWT')).join(', ');
}

function query(op: Op): string {
  const names = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => `${p.name}=`);
  return names.length > 0 ? `?${names.join('&')}` : '';
}

export function renderMarkdown(doc: Doc): string {
  const lines = [
    '# The Latchkey API',
    '',
    `<!-- Generated from docs/openapi.json: do not edit. Edit openapi/operations.ts or openapi/prose/*.md, then run \`${REGENERATE}\`. -->`,
    '',
    'The machine-readable description is [openapi.json](openapi.json) (OpenAPI 3.1), also served by the API at `GET /openapi.json`;',
    'a typed client generated from it is in `client/` (see the README).',
    '',
    doc.info.description,
    '',
  ];
  const statuses = new Map<string, string>();
  for (const tag of doc.tags) {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.tags.includes(tag.name))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    if (ops.length === 0) continue;
    lines.push(`## ${tag.name[0]!.toUpperCase()}${tag.name.slice(1)}`, '', tag.description, '', '| method and path | auth | what | answers |', '| --- | --- | --- | --- |');
    for (const { method, path, op } of ops) {
      const codes = Object.keys(op.responses);
      for (const code of codes) if (Number(code) >= 400) statuses.set(code, op.responses[code]!.description);
      const what = [op.summary, op.description].filter(Boolean).join('. ');
      lines.push(`| \`${method} ${path}${query(op)}\` | ${auth(op)} | ${cell(what)} | ${codes.join(', ')} |`);
    }
    lines.push('');
  }
  lines.push('## Error statuses', '', '| status | when |', '| --- | --- |');
  for (const [code, description] of [...statuses].sort(([a], [b]) => Number(a) - Number(b))) lines.push(`| ${code} | ${cell(description)} |`);
  lines.push('');
  return lines.join('\n');
}
