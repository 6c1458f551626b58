import type { PolicyCondition } from './policy-schema.ts';
import { arnMatches, contextValue, globMatches, resolveVariables, type RequestContext } from './policy-match.ts';

// IAM condition operators. Each entry is the positive test of one context
// value against one policy value; negated operators ("Not…") invert the
// result, and a missing key makes a negated operator true, as in IAM.
type Test = (actual: string, expected: string, context: RequestContext) => boolean;

const resolved = (test: (a: string, e: string) => boolean): Test => (actual, expected, context) => {
  const value = resolveVariables(expected, context);
  return value !== undefined && test(actual, value);
};

const epochMs = (text: string): number => (/^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text));
const dateTest = (compare: (a: number, e: number) => boolean): Test =>
  resolved((a, e) => {
    const [actual, expected] = [epochMs(a), epochMs(e)];
    return !Number.isNaN(actual) && !Number.isNaN(expected) && compare(actual, expected);
  });
const numericTest = (compare: (a: number, e: number) => boolean): Test =>
  resolved((a, e) => a.trim() !== '' && e.trim() !== '' && compare(Number(a), Number(e)));

const POSITIVE: Record<string, Test> = {
  StringEquals: resolved((a, e) => a === e),
  StringEqualsIgnoreCase: resolved((a, e) => a.toLowerCase() === e.toLowerCase()),
  StringLike: (a, e, context) => globMatches(e, a, context),
  NumericEquals: numericTest((a, e) => a === e),
  NumericLessThan: numericTest((a, e) => a < e),
  NumericLessThanEquals: numericTest((a, e) => a <= e),
  NumericGreaterThan: numericTest((a, e) => a > e),
  NumericGreaterThanEquals: numericTest((a, e) => a >= e),
  DateEquals: dateTest((a, e) => a === e),
  DateLessThan: dateTest((a, e) => a < e),
  DateLessThanEquals: dateTest((a, e) => a <= e),
  DateGreaterThan: dateTest((a, e) => a > e),
  DateGreaterThanEquals: dateTest((a, e) => a >= e),
  Bool: resolved((a, e) => a.toLowerCase() === e.toLowerCase()),
  ArnEquals: (a, e, context) => arnMatches(e, a, context),
  ArnLike: (a, e, context) => arnMatches(e, a, context),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

const OPERATOR = /^(ForAllValues:|ForAnyValue:)?([A-Za-z]+?)(IfExists)?$/;

interface Operator {
  set: 'ForAllValues:' | 'ForAnyValue:' | undefined;
  name: string;
  ifExists: boolean;
}

function parseOperator(text: string): Operator | undefined {
  const match = OPERATOR.exec(text);
  const name = match?.[2];
  if (!match || !name) return undefined;
  if (name !== 'Null' && !(name in POSITIVE) && !(name in NEGATED)) return undefined;
  if (name === 'Null' && (match[1] || match[3])) return undefined;
  return { set: match[1] as Operator['set'], name, ifExists: match[3] !== undefined };
}

export const isKnownConditionOperator = (text: string): boolean => parseOperator(text) !== undefined;

/** All operator blocks and all keys must hold (AND); any value of a key may match (OR). */
export function conditionsHold(condition: PolicyCondition | undefined, context: RequestContext): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operatorText, block]) => {
    const operator = parseOperator(operatorText);
    if (!operator) return false;
    return Object.entries(block).every(([key, raw]) =>
      keyHolds(operator, contextValue(context, key), (Array.isArray(raw) ? raw : [raw]).map(String), context),
    );
  });
}

function keyHolds(operator: Operator, actual: string | readonly string[] | undefined, expected: string[], context: RequestContext): boolean {
  if (operator.name === 'Null') return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
  const negatedOf = NEGATED[operator.name];
  if (actual === undefined) return operator.ifExists || negatedOf !== undefined || operator.set === 'ForAllValues:';
  const positive = POSITIVE[negatedOf ?? operator.name];
  if (!positive) return false;
  const matchesAny = (value: string): boolean => expected.some((e) => positive(value, e, context));
  const test = negatedOf ? (value: string) => !matchesAny(value) : matchesAny;
  const values = typeof actual === 'string' ? [actual] : actual;
  if (operator.set === 'ForAllValues:') return values.every(test);
  if (operator.set === 'ForAnyValue:' || !negatedOf) return values.some(test);
  return values.every(test);
}
