import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './paths.ts';

// serverless.yml is the single source of the route table, the environment and
// the table names. This resolves the handful of variable sources it uses so
// the local stack reads the same values the deployment would, instead of a
// second hand-written copy that drifts.

export type ServerlessDoc = Record<string, unknown>;

export interface ResolveContext {
  stage: string;
  /** `--param` values; they win over `params.<stage>` and `params.default`. */
  params?: Record<string, string>;
  /** CLI options (`${opt:region}`); absent ones fall back to the default in the variable. */
  options?: Record<string, string>;
}

export function readServerlessYaml(path = join(repoRoot, 'serverless.yml')): ServerlessDoc {
  return parse(readFileSync(path, 'utf8')) as ServerlessDoc;
}

const INNERMOST = /\$\{([^${}]+)\}/;
const MAX_DEPTH = 20;

/**
 * Resolves `${self:…}`, `${sls:stage}`, `${param:…}`, `${opt:…, 'fallback'}`
 * in `value` (recursively through objects and arrays). A variable it cannot
 * resolve is an error: a silently empty table name is worse than a crash.
 */
export function resolveVariables(value: unknown, doc: ServerlessDoc, ctx: ResolveContext, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error('serverless.yml: variables nest too deeply (a cycle?)');
  if (Array.isArray(value)) return value.map((item) => resolveVariables(item, doc, ctx, depth));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, doc, ctx, depth)]));
  }
  if (typeof value !== 'string') return value;
  let text = value;
  for (let match = INNERMOST.exec(text); match; match = INNERMOST.exec(text)) {
    const resolved = resolveExpression((match[1] ?? '').trim(), doc, ctx, depth);
    // A variable that is the whole string keeps its type (a list, a number).
    if (match[0] === text) return resolveVariables(resolved, doc, ctx, depth + 1);
    text = text.replace(match[0], String(resolveVariables(resolved, doc, ctx, depth + 1)));
  }
  return text;
}

function resolveExpression(expression: string, doc: ServerlessDoc, ctx: ResolveContext, depth: number): unknown {
  const [primary = '', ...fallbacks] = splitTopLevel(expression);
  const found = lookup(primary, doc, ctx, depth);
  if (found !== undefined) return found;
  for (const fallback of fallbacks) {
    const quoted = /^(['"])(.*)\1$/.exec(fallback);
    if (quoted) return quoted[2];
    const other = lookup(fallback, doc, ctx, depth);
    if (other !== undefined) return other;
  }
  throw new Error(`serverless.yml: cannot resolve \${${expression}}`);
}

function lookup(reference: string, doc: ServerlessDoc, ctx: ResolveContext, depth: number): unknown {
  const colon = reference.indexOf(':');
  const source = colon === -1 ? reference : reference.slice(0, colon);
  const address = colon === -1 ? '' : reference.slice(colon + 1);
  switch (source) {
    case 'self':
      return resolveVariables(pathGet(doc, address), doc, ctx, depth + 1);
    case 'sls':
      return address === 'stage' ? ctx.stage : undefined;
    case 'opt':
      return ctx.options?.[address];
    case 'param': {
      const params = (doc.params ?? {}) as Record<string, Record<string, unknown> | undefined>;
      return ctx.params?.[address] ?? params[ctx.stage]?.[address] ?? params.default?.[address];
    }
    default:
      throw new Error(`serverless.yml: the local stack does not resolve \${${reference}}`);
  }
}

function pathGet(doc: unknown, address: string): unknown {
  let node: unknown = doc;
  for (const key of address.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Splits `opt:region, 'eu-central-1'` on commas outside quotes. */
function splitTopLevel(expression: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of expression) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === ',') {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts;
}
