import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// Every answer the e2e suite gets is checked against docs/openapi.json: the route must
// document the status, the content type, and (for JSON) a schema the body validates
// against. The document's schemas are JSON Schema 2020-12 (OpenAPI 3.1), checked by ajv
// exactly as written — so the whole e2e suite proves the document, not a copy of it.

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Doc = { paths: Record<string, Record<string, Operation>> };

const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats.default(ajv);
ajv.addSchema(document as object, 'openapi');

/** Path templates, literal ones first: `/audit/events/export` before anything with a parameter. */
const templates = Object.keys(document.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`), params: (template.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

export function templateOf(path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return templates.find((t) => t.pattern.test(bare))?.template;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();

/** `template` names the route when the caller knows it (the fuzzer's paths may match no template by design). */
export type Answer = { method: string; path: string; template?: string; status: number; contentType: string | null; body: unknown };

/** What is wrong with this answer according to the document; empty when it conforms. Unknown routes are API Gateway's 404: not ours to check. */
export function documentProblems(answer: Answer): string[] {
  const template = answer.template ?? templateOf(answer.path);
  const method = answer.method.toLowerCase();
  const operation = template ? document.paths[template]?.[method] : undefined;
  if (!template || !operation) return [];
  const route = `${answer.method.toUpperCase()} ${template}`;
  const response = operation.responses[String(answer.status)];
  if (!response) return [`${route} answered ${answer.status}, which docs/openapi.json does not document (it has ${Object.keys(operation.responses).join(', ')})`];
  const mediaType = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const content = response.content ?? {};
  if (!(mediaType in content)) return [`${route} ${answer.status} answered ${mediaType || 'no content type'}; docs/openapi.json has ${Object.keys(content).join(', ') || 'none'}`];
  if (mediaType !== 'application/json') return typeof answer.body === 'string' || answer.body === undefined ? [] : [`${route} ${answer.status}: a ${mediaType} body that is not text`];
  const ref = `openapi#/${pointer('paths', template, method, 'responses', String(answer.status), 'content', mediaType, 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref);
    if (!validate) return [`${ref} does not resolve`];
    validators.set(ref, validate);
  }
  if (validate(answer.body)) return [];
  return [`${route} ${answer.status}: the body does not match docs/openapi.json: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n  body: ${JSON.stringify(answer.body).slice(0, 1500)}`];
}

export class UndocumentedAnswerError extends Error {}

/** Throws (failing the test) when the answer is not what the document says. */
export function expectDocumented(answer: Answer): void {
  const problems = documentProblems(answer);
  if (problems.length > 0) throw new UndocumentedAnswerError(problems.join('\n'));
}
