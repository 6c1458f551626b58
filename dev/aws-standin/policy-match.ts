// Wildcards and policy variables, shared by Action/Resource matching and the
// String*/Arn* condition operators.

export type ContextValue = string | readonly string[];
/** Request context keyed by lower-case condition key: IAM condition keys are case-insensitive. */
export type RequestContext = ReadonlyMap<string, ContextValue>;

export function contextOf(entries: Record<string, ContextValue | undefined>): RequestContext {
  const context = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) context.set(key.toLowerCase(), value);
  }
  return context;
}

export function contextValue(context: RequestContext, key: string): ContextValue | undefined {
  return context.get(key.toLowerCase());
}

// `${aws:userid}`, `${aws:PrincipalTag/team, 'none'}`, and the escapes `${*}`, `${?}`, `${$}`.
const VARIABLE = /\$\{([^},]+?)\s*(?:,\s*'([^']*)'\s*)?\}/g;
const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

type Piece = { literal: string } | { wildcard: '*' | '?' };

/**
 * Splits a pattern into literal text and wildcards, substituting variables.
 * Returns undefined when a variable has no value: AWS then treats the element
 * as not matching rather than matching an empty string.
 */
function piecesOf(pattern: string, context: RequestContext, wildcards: boolean): Piece[] | undefined {
  const pieces: Piece[] = [];
  let last = 0;
  const pushText = (text: string): void => {
    if (!wildcards) return void pieces.push({ literal: text });
    for (const part of text.split(/([*?])/)) {
      if (part === '*' || part === '?') pieces.push({ wildcard: part });
      else if (part) pieces.push({ literal: part });
    }
  };
  for (const match of pattern.matchAll(VARIABLE)) {
    pushText(pattern.slice(last, match.index));
    last = match.index + match[0].length;
    const name = (match[1] ?? '').trim();
    const escaped = ESCAPES[name];
    if (escaped !== undefined) {
      pieces.push({ literal: escaped });
      continue;
    }
    const value = contextValue(context, name);
    const resolved = typeof value === 'string' ? value : match[2];
    if (resolved === undefined) return undefined;
    pieces.push({ literal: resolved });
  }
  pushText(pattern.slice(last));
  return pieces;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Policy variables substituted, no wildcards: for StringEquals and friends. */
export function resolveVariables(text: string, context: RequestContext): string | undefined {
  return piecesOf(text, context, false)?.map((p) => ('literal' in p ? p.literal : '')).join('');
}

export function globMatches(pattern: string, value: string, context: RequestContext, ignoreCase = false): boolean {
  const pieces = piecesOf(pattern, context, true);
  if (!pieces) return false;
  const source = pieces
    .map((p) => ('literal' in p ? escapeRegExp(p.literal) : p.wildcard === '*' ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** ArnLike: each of the six colon-separated parts is matched on its own. */
export function arnMatches(pattern: string, arn: string, context: RequestContext): boolean {
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (!patternParts || !arnParts) return false;
  return patternParts.every((part, i) => globMatches(part, arnParts[i] ?? '', context));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
