import fc from 'fast-check';
import { logKeys } from '#shared/adapters/dynamodb/keys';
import type { PagedCursor, TenantWorld } from './fuzz-world.ts';

// Page cursors a hostile caller would craft: base64url JSON objects shaped like
// the start keys Latchkey hands out (main-table listings: a flat key; grant log:
// `{ v, b, k }` with a filter binding), built from the real key attribute names
// and plausible values — this tenant's, the other tenant's, prefixes of other
// listings, empty and oversized values — plus real cursors of both tenants,
// mutated, and plain garbage.

/** Marker for a grant-log cursor whose binding (and partition) is filled in once the request's query is known. */
export type BoundCursor = { bindTo: 'events' | 'timeline'; k: Record<string, unknown>; fillPartition: boolean };

// Real attribute names: the grant log's, the request indexes', and GSI7 (served by PK) under a name it does not have.
const keyNames = [...new Set<string>([...logKeys.keyAttributes, 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI7PK'])];

const seq = fc.oneof(fc.constantFrom(0, 1, 2, 3, 999_999_999_999), fc.nat()).map((n) => String(n).padStart(12, '0'));
const instant = fc.oneof(
  fc.constantFrom('2026-11-24T08:00:00.000Z', '2030-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '-000001-12-31T23:00:00.000Z'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
// Values DynamoDB refuses as keys (empty; over 1024 bytes though under 1024 characters) and their neighbours.
const sizeBombs = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.constantFrom('€'.repeat(400), '😀'.repeat(300), 'x'.repeat(1024), `T#${'€'.repeat(341)}`) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '#', '\u0000', 'x'.repeat(1025)) },
);

/** Values shaped for one key attribute of `w`'s tenant. */
function valuesFor(name: string, w: TenantWorld): fc.Arbitrary<string> {
  const t = w.tenant;
  const [req = 'req_x'] = w.ids.request ?? [];
  const [tgt = 'tgt_x'] = w.ids.target ?? [];
  const [int = 'int_x'] = w.ids.integration ?? [];
  const byName: Record<string, fc.Arbitrary<string>> = {
    PK: fc.constantFrom(`T#${t}`, `SVCROLE#${w.accountId}#${t}-svc-1`, `EXTID#${w.externalIds[0]}`, 'T#', `T#${t}#`),
    SK: fc.oneof(fc.constantFrom(`TARGET#${tgt}`, `SERVICE#${w.roleArns[1]}`, `INTEGRATION#${int}`, `REQ#${req}`, `REQ#${req}#SSM#s-0123456789abcdef0`, 'HEAD', 'EV#', 'TARGET#', 'SVCROLE', 'EXTID'), seq.map((s) => `EV#${s}`)),
    GSI1PK: fc.constantFrom(`T#${t}#REQUESTER#${w.sub}`, `T#${t}#REQ#${req}`, `T#${t}#REQUESTER#`),
    GSI1SK: fc.oneof(seq.map((s) => `EV#${s}`), instant.map((i) => `${i}#${req}`)),
    GSI2PK: fc.constantFrom(`T#${t}#STATUS#pending`, `T#${t}#STATUS#approved`, `T#${t}#RQR#${w.sub}`),
    GSI2SK: instant.map((i) => `${i}#${req}`),
    GSI3PK: fc.oneof(fc.constant(`T#${t}#TGT#${tgt}`), instant.map((i) => `DUE#${i.slice(0, 10)}`)),
    GSI3SK: instant.map((i) => `${i}#${t}#${req}`),
    GSI4PK: fc.constant(`T#${t}#TGT#${tgt}#DBU#app_ro`),
    GSI5PK: fc.constant(`T#${t}#ACT#${w.sub}`),
    GSI6PK: fc.constantFrom(`T#${t}#ACN#request.created`, `T#${t}#ACN#target.created`),
    GSI7PK: fc.constant(`T#${t}`),
    ATSEQ: fc.tuple(instant, seq).map(([i, s]) => `${i}#${s}`),
  };
  const own = byName[name] ?? fc.string();
  const anyShape = fc.constantFrom(...Object.keys(byName)).chain((other) => byName[other]!);
  return fc.oneof({ weight: 6, arbitrary: own }, { weight: 2, arbitrary: anyShape }, { weight: 1, arbitrary: sizeBombs }, { weight: 1, arbitrary: fc.string() });
}

const shapes: string[][] = [
  ['PK', 'SK'],
  ['GSI1PK', 'GSI1SK', 'PK', 'SK'],
  ['GSI2PK', 'GSI2SK', 'PK', 'SK'],
  ['PK', 'SK', 'ATSEQ'],
  ['PK', 'SK', 'ATSEQ', 'GSI2PK'],
  ['PK', 'SK', 'ATSEQ', 'GSI3PK'],
  ['PK', 'SK', 'ATSEQ', 'GSI4PK'],
  ['PK', 'SK', 'ATSEQ', 'GSI5PK'],
  ['PK', 'SK', 'ATSEQ', 'GSI6PK'],
];

/** A flat start key of some shape, its values drawn for one of the worlds; now and then one value is not a string. */
function keyArb(worlds: readonly TenantWorld[]): fc.Arbitrary<Record<string, unknown>> {
  const names = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...shapes) }, { weight: 1, arbitrary: fc.subarray(keyNames, { minLength: 1 }) });
  return fc.tuple(names, fc.constantFrom(...worlds)).chain(([ns, w]) =>
    fc.tuple(fc.tuple(...ns.map((n) => valuesFor(n, w))), rarely(fc.tuple(fc.constantFrom(...ns), fc.oneof(fc.jsonValue(), fc.constant({ S: `T#${w.tenant}` }))))).map(
      ([values, odd]) => {
        const key: Record<string, unknown> = Object.fromEntries(ns.map((n, i) => [n, values[i]]));
        if (odd) key[odd[0]] = odd[1];
        return key;
      },
    ),
  );
}

/** `arb` one time in `n`, else null (fc.option's `freq` is the other way round: null one time in `freq`). */
export const rarely = <T>(arb: fc.Arbitrary<T>, n = 8) => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Real cursors, slightly broken. */
function mutated(cursors: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...cursors), fc.nat(), fc.constantFrom('truncate', 'flip', 'append', 'std-base64', 'reencode', 'as-is')).map(([c, n, how]) => {
    const i = n % c.length;
    switch (how) {
      case 'truncate': return c.slice(0, Math.max(1, i));
      case 'flip': return `${c.slice(0, i)}${c[i] === 'A' ? 'B' : 'A'}${c.slice(i + 1)}`;
      case 'append': return `${c}A`;
      case 'std-base64': return Buffer.from(c, 'base64url').toString('base64');
      case 'reencode': return b64(c);
      default: return c;
    }
  });
}

/**
 * Real cursors with one attribute of their key changed (emptied, oversized, another tenant's, another listing's
 * shape), removed or added, the rest — the shape, a grant-log cursor's binding — left intact, so the change is
 * what the server has to catch.
 */
function restructured(cursors: readonly string[], own: TenantWorld, foreign: TenantWorld): fc.Arbitrary<string> {
  const decoded = cursors.map((c) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>);
  return fc.constantFrom(...decoded).chain((cursor) => {
    const isLog = typeof cursor.k === 'object' && cursor.k !== null;
    const key = (isLog ? cursor.k : cursor) as Record<string, unknown>;
    const names = Object.keys(key);
    const value = fc.oneof(
      { weight: 5, arbitrary: sizeBombs },
      fc.constantFrom(...names).chain((n) => fc.oneof(valuesFor(n, foreign), valuesFor(n, own))),
      fc.constantFrom(...names).map((n) => `${String(key[n])}\u0000`),
      fc.constantFrom(...names).map((n) => `${String(key[n])}#`),
      fc.constantFrom(...names).map((n) => String(key[n]).slice(0, -1)),
      fc.constantFrom(...names).map((n) => String(key[n]).replace(/\d(?=\d*$)/, '9')),
      fc.jsonValue({ maxDepth: 1 }),
    );
    return fc.tuple(fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add'), fc.constantFrom(...names), fc.constantFrom(...keyNames), value).map(([op, name, extra, v]) => {
      const next: Record<string, unknown> = { ...key };
      if (op === 'replace') next[name] = v;
      else if (op === 'delete') delete next[name];
      else next[extra] = v;
      return b64(isLog ? { ...cursor, k: next } : next);
    });
  });
}

/**
 * A cursor for a caller in `own`, against the world `foreign` of the other tenant.
 * `routeCursors` are real cursors of the route being fuzzed (its own tenant's): most crafted ones start from them.
 * Bound cursors come out as BoundCursor, to be finished by `bindCursor` once the query is known.
 */
export function cursorArb(own: TenantWorld, foreign: TenantWorld, routeCursors: readonly PagedCursor[]): fc.Arbitrary<string | BoundCursor> {
  const worlds = [own, foreign];
  const all = (w: TenantWorld) => Object.values(w.cursors).flat().map((c) => c.cursor);
  const mine = routeCursors.map((c) => c.cursor);
  return fc.oneof(
    ...(mine.length ? [{ weight: 12, arbitrary: restructured(mine, own, foreign) }, { weight: 1, arbitrary: fc.constantFrom(...mine) }] : []),
    { weight: 4, arbitrary: keyArb(worlds).map(b64) },
    { weight: 3, arbitrary: fc.record({ bindTo: fc.constantFrom('events', 'timeline'), k: keyArb([own]), fillPartition: fc.boolean() }) as fc.Arbitrary<BoundCursor> },
    { weight: 2, arbitrary: fc.record({ v: fc.oneof(fc.constant(1), fc.jsonValue()), b: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('')), k: keyArb(worlds) }, { requiredKeys: ['k'] }).map(b64) },
    { weight: 2, arbitrary: fc.constantFrom(...all(own), ...all(foreign)) },
    { weight: 2, arbitrary: mutated([...all(own), ...all(foreign)]) },
    { weight: 1, arbitrary: fc.jsonValue().map(b64) },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom('not base64!', '====', '%00', 'A'.repeat(2048), 'A'.repeat(2049), 'A'.repeat(6000), b64('{'), b64('\u0000'))) },
  );
}

/**
 * The query of a page that handed out a real cursor, with that cursor restructured: the filter is right, so the
 * cursor's key is what the server has to judge.
 */
export function pagedQueryArb(own: TenantWorld, foreign: TenantWorld, routeCursors: readonly PagedCursor[]): fc.Arbitrary<{ pairs: [string, string][]; path: Record<string, string> }> {
  return fc.constantFrom(...routeCursors).chain((c) =>
    fc.oneof({ weight: 8, arbitrary: restructured([c.cursor], own, foreign) }, { weight: 1, arbitrary: fc.constant(c.cursor) }).map((cursor) => ({
      pairs: [...new URLSearchParams(c.query), ['cursor', cursor]] as [string, string][],
      path: c.path,
    })),
  );
}
