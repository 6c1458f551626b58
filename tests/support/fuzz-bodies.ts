import fc from 'fast-check';
import { policy, targetInput } from './builders.ts';
import { DB_USER, FUZZ_GROUP, type TenantWorld } from './fuzz-world.ts';

// Request bodies for the route fuzzer, chosen without regard to the route:
// valid bodies of every write route (so some requests get through validation),
// the same with one field broken, removed or added (mass assignment), bodies
// that reference the other tenant's objects, any JSON, deep nesting, sizes
// around the 32 KiB limit, wrong content types and text that is not JSON.

/** `body` is text (sent as UTF-8): fast-check prints it readably in a counterexample. */
export type FuzzBody = { contentType?: string; body?: string; /** How it was made, for a failure report when the body is too big to print. */ label: string };

const LIMIT = 32 * 1024;

/** Strings a field should refuse or handle: empty, blank, control, bidi, overlong, multibyte. Never another tenant's id (see leak checks). */
export const oddStrings = fc.oneof(
  fc.constantFrom('', ' ', ' \t\n', '\u0000', '\u202e', 'null', '__proto__', 'a'.repeat(129), 'a'.repeat(1001), '😀'.repeat(600), 'Ω'.repeat(300), '#', 'T#', '../../etc/passwd', '<script>', "' OR 1=1 --"),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const oddValues = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddStrings,
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -0, 0.5, 4, 5, 14, 15, 10_080, 10_081, 65_536, 1023, -1, 0, null, true, [], {}, [null]),
);
/** Keys a caller must not be able to set, and prototype tricks. */
const extraKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'tenantId', 'status', 'version', 'requesterId', 'approvals', 'externalId', 'windowEnd', 'createdBy', 'integrationId', 'targetId', 'roleArn', 'x');

/** A valid body for each write route, referencing the objects of `ids` (the caller's own, or the other tenant's). */
export function validBodies(caller: TenantWorld, ids: TenantWorld, n: number): Record<string, unknown>[] {
  const fuzzPolicy = policy({ approvers: { groups: [FUZZ_GROUP], principals: [] }, maxDurationMinutes: 240 });
  const [target = 'tgt_x'] = ids.ids.target ?? [];
  const [integration = 'int_x'] = ids.ids.integration ?? [];
  return [
    targetInput({ name: `fuzz-${n}`, accountId: caller.accountId, integrationId: integration, databaseUsers: [DB_USER], policy: fuzzPolicy }),
    targetInput({ name: `fuzz-${n}`, policy: fuzzPolicy }),
    fuzzPolicy,
    // PUT /targets/{targetId}: often a stale version (409), sometimes the current one (a change).
    { version: 1 + (n % 3), databaseUsers: [DB_USER, 'app_rw', `fz_${n % 7}`], integrationId: integration },
    { roleArn: `arn:aws:iam::${caller.accountId}:role/${caller.tenant}-fuzz-${n}`, name: `svc-${n}`, access: [{ targetId: target, databaseUsers: [DB_USER] }] },
    { accountId: caller.accountId, name: `fuzz-${n}` },
    { roleArn: `arn:aws:iam::${caller.accountId}:role/latchkey/${caller.tenant}-fuzz-${n}` },
    { targetId: target, databaseUser: DB_USER, durationMinutes: 30, reason: 'fuzz' },
    { note: 'fine' },
    { minutes: 30, reason: 'more' },
    // POST /requests/{requestId}/review
    { outcome: 'acknowledged', note: 'seen' },
    { ssm: { localPortNumber: 15_432 } },
    {},
  ];
}

/** One field (at any depth) replaced, removed, or one key added. */
function mutate(base: Record<string, unknown>, pick: number, op: 'replace' | 'delete' | 'add', value: unknown, key: string): unknown {
  const copy = structuredClone(base) as Record<string, any>;
  const paths: (string | number)[][] = [];
  const walk = (node: any, at: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    for (const k of Object.keys(node)) {
      paths.push([...at, Array.isArray(node) ? Number(k) : k]);
      walk(node[k], [...at, k]);
    }
  };
  walk(copy, []);
  if (op === 'add' || paths.length === 0) {
    // A computed key makes `__proto__` an own property, so JSON.stringify sends it.
    return { ...copy, [key]: value };
  }
  const path = paths[pick % paths.length]!;
  const parent = path.slice(0, -1).reduce((node: any, k) => node[k], copy);
  const last = path[path.length - 1]!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

const json = (value: unknown, label: string): FuzzBody => ({ contentType: 'application/json', body: JSON.stringify(value) ?? 'null', label });

/** Bodies close to the size limit: arrays, one long string, multibyte text whose characters fit but whose bytes do not. */
const sized = fc.tuple(fc.constantFrom(LIMIT - 100, LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 500, 40_000), fc.constantFrom('numbers', 'strings', 'reason', 'multibyte')).map(([size, kind]): FuzzBody => {
  if (kind === 'multibyte') {
    // About `size` bytes in a third as many characters.
    const body = JSON.stringify({ note: '€'.repeat(Math.ceil((size - 11) / 3)) });
    return { contentType: 'application/json', body, label: `multibyte body of ${Buffer.byteLength(body)} bytes in ${body.length} characters` };
  }
  let text: string;
  if (kind === 'numbers') text = `[${Array.from({ length: Math.ceil(size / 2) }, () => 1).join(',')}]`;
  else if (kind === 'strings') text = JSON.stringify(Array.from({ length: Math.ceil(size / 6) }, () => 'abc'));
  else text = JSON.stringify({ note: 'n'.repeat(size), reason: 'r' });
  // ASCII, so characters are bytes: cut to exactly `size` (the cut may leave invalid JSON, which is a case too).
  return { contentType: 'application/json', body: text.slice(0, size), label: `${kind} body of ${size} bytes` };
});

const deep = fc.tuple(fc.constantFrom(100, 1_000, 5_000, 10_000, 16_000), fc.constantFrom('array', 'object', 'in-field')).map(([depth, kind]): FuzzBody => {
  const nest = kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const text = kind === 'in-field' ? `{"policy":${nest},"note":${nest}}` : nest;
  return { contentType: 'application/json', body: text, label: `${kind} nested ${depth} deep` };
});

const contentTypes = fc.constantFrom(
  undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
  'APPLICATION/JSON', 'application/vnd.api+json', 'application/jsonx', 'application/json;', 'json', '', '*/*', 'text/json',
);

const notJson = fc.oneof(
  fc.constantFrom('{', '{"a":', 'nul', '[1,]', '\ufeff{}', "{'a':1}", '{"a":1}{"b":2}', 'undefined', 'NaN', '{"note":"\\ud800"}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', ''),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** @param fits indices of the `validBodies` templates this route accepts (see calibrateBodies); mostly those are used */
export function bodyArb(caller: TenantWorld, foreign: TenantWorld, fits: readonly number[]): fc.Arbitrary<FuzzBody> {
  const count = validBodies(caller, caller, 0).length;
  const anyIndex = fc.nat({ max: count - 1 });
  const index = fits.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fits) }, { weight: 1, arbitrary: anyIndex }) : anyIndex;
  // `n` makes names and role ARNs differ, so a valid create is not always a 409.
  const valid = (ids: TenantWorld) => fc.tuple(fc.nat(), index).map(([n, i]) => validBodies(caller, ids, n)[i]!);
  const broken = fc
    .record({ base: valid(caller), pick: fc.nat(), op: fc.constantFrom('replace', 'delete', 'add') as fc.Arbitrary<'replace' | 'delete' | 'add'>, value: oddValues, key: extraKeys })
    .map(({ base, pick, op, value, key }) => json(mutate(base, pick, op, value, key), `${op} in a valid body`));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ label: 'no body' }) },
    { weight: 6, arbitrary: valid(caller).map((b) => json(b, 'valid body')) },
    { weight: 5, arbitrary: broken },
    { weight: 2, arbitrary: valid(foreign).map((b) => json(b, 'valid body naming the other tenant’s objects')) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => json(v, 'any JSON')) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: sized },
    { weight: 2, arbitrary: fc.tuple(notJson, fc.oneof(fc.constant('application/json'), contentTypes)).map(([text, contentType]) => ({ contentType, body: text, label: 'not JSON' })) },
    { weight: 2, arbitrary: fc.tuple(valid(caller), contentTypes).map(([b, contentType]) => ({ contentType, body: JSON.stringify(b), label: 'valid JSON, other content type' })) },
  );
}
