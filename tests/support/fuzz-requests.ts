import fc from 'fast-check';
import type { z } from 'zod';
import type { HttpApiRoute } from '#dev/local-api/route-table';
import { planLogQuery } from '#shared/adapters/dynamodb/log-query-plan';
import { filterBinding, normalizeFilter } from '#shared/audit/filter';
import * as auditSchemas from '#shared/audit/schemas';
import * as schemas from '#shared/requests/schemas';
import * as integrationSchemas from '#shared/integrations/schemas';
import { bodyArb, oddStrings, type FuzzBody } from './fuzz-bodies.ts';
import { cursorArb, pagedQueryArb, rarely, type BoundCursor } from './fuzz-cursors.ts';
import type { TenantWorld } from './fuzz-world.ts';
import { percentEncode } from './raw-http.ts';

// Whole requests for one route of serverless.yml: path parameters, query and
// body, sent by a user of the fuzz tenant or of the other tenant.

export type Caller = 'fuzz' | 'other';
export type FuzzRequest = {
  caller: Caller;
  method: string;
  path: string;
  query: string;
  body: FuzzBody;
};

/** Every query parameter some route knows, with its schema: the `*Query` exports of the wire schemas. */
const querySchemas = [schemas, auditSchemas, integrationSchemas].flatMap((m) => Object.entries(m).filter(([name]) => name.endsWith('Query')).map(([, s]) => s as unknown as z.ZodObject));
export const knownQueryFields = new Map<string, z.ZodType>(querySchemas.flatMap((s) => Object.entries(s.shape ?? {}) as [string, z.ZodType][]));

function enumValues(schema: z.ZodType): string[] {
  let def: any = (schema as any)._zod?.def;
  while (def && ['default', 'optional', 'prefault', 'nullable'].includes(def.type)) def = def.innerType?._zod?.def;
  return def?.type === 'enum' ? Object.values(def.entries as Record<string, string>) : [];
}

const numbers = fc.oneof(
  fc.constantFrom('-1', '0', '1', '1e9', 'NaN', 'Infinity', '-Infinity', '1.5', '0x10', '', ' 7', '100', '101', '1000', '1001', '100000', '100001', '1e12', '1e13', '9007199254740993', '-0', '1_000', '٣', '+5', '05', '1e-7'),
  fc.integer().map(String),
  fc.double().map(String),
);
const instants = fc.oneof(
  fc.constantFrom('2026-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999-14:00', '2026-01-01T00:00:00+23:59', '0000-01-01T00:00:00+01:00', '2026-02-30T00:00:00Z', '2026-01-01', 'yesterday', '2026-01-01T00:00:00.123456789Z'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true, min: new Date('2020-01-01'), max: new Date('2031-01-01') }).map((d) => d.toISOString()),
);

/** Ids: the caller's real objects of any kind, the other tenant's, valid-looking random ones, and odd strings. */
function idArb(own: TenantWorld, foreign: TenantWorld, kind?: string): fc.Arbitrary<string> {
  const mine = kind && own.ids[kind]?.length ? own.ids[kind]! : Object.values(own.ids).flat();
  const theirs = kind && foreign.ids[kind]?.length ? foreign.ids[kind]! : Object.values(foreign.ids).flat();
  const prefix = mine[0]?.split('_')[0] ?? 'req';
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...mine) },
    { weight: 3, arbitrary: fc.constantFrom(...theirs) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(own.ids).flat(), ...Object.values(foreign.ids).flat()) },
    { weight: 2, arbitrary: fc.stringMatching(/^[0-9A-Z]{26}$/).map((s) => `${prefix}_${s}`) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{2,4}_[0-9A-Za-z]{10,40}$/) },
    { weight: 1, arbitrary: fc.constantFrom(...mine).map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.integer({ min: 41, max: 5000 }).map((n) => `${prefix}_${'A'.repeat(n)}`) },
  );
}

/** One path segment, already percent-encoded; never empty and never a raw `/`, so the route still matches. */
function segmentArb(param: string, own: TenantWorld, foreign: TenantWorld): fc.Arbitrary<string> {
  const kind = param.replace(/Id$/, '');
  const id = idArb(own, foreign, kind);
  const raw = fc.tuple(fc.constantFrom(...Object.values(own.ids).flat(), ...Object.values(foreign.ids).flat()), fc.constantFrom(
    '%00', '..', '.', '%2e%2e', '%2E%2E%2F', '..%2F..%2Ftargets', '%2F', '%', '%zz', '%E0%A4%A', '%C0%AE%C0%AE', '%EF%BF%BD', '%23', '%3F', '%20',
    '{id}%00', '{id}%2F..', '{id}%2Fapprove', '{id}%23SK', '{id}%20', '{id}.json', 'T%23{id}', '{id}%2C{id}', '%7Bid%7D',
  )).map(([real, template]) => template.replaceAll('{id}', real));
  return fc.oneof(
    { weight: 10, arbitrary: id.map(percentEncode) },
    { weight: 3, arbitrary: raw },
    { weight: 2, arbitrary: oddStrings.map(percentEncode).filter((s) => s !== '') },
  );
}

function valueArb(name: string, own: TenantWorld, foreign: TenantWorld, routeKey: string): fc.Arbitrary<string | BoundCursor> {
  const schema = knownQueryFields.get(name);
  const options = schema ? enumValues(schema) : [];
  const accepts = (v: string) => schema?.safeParse(v).success === true;
  // Each value is often valid, so that the other parts of the request get to be the reason it fails (or not).
  let valid: fc.Arbitrary<string | BoundCursor>;
  let specific: fc.Arbitrary<string | BoundCursor>;
  if (name === 'cursor') valid = specific = cursorArb(own, foreign, own.cursors[routeKey] ?? []);
  else if (options.length) {
    valid = fc.constantFrom(...options);
    specific = fc.oneof(fc.constantFrom(...options).map((o) => o.toUpperCase()), fc.constantFrom(...options).map((o) => `${o} `));
  } else if (accepts('5') && !accepts('x')) {
    valid = fc.constantFrom('1', '2', '5', '25', '100');
    specific = numbers;
  } else if (accepts('2026-01-01T00:00:00Z')) {
    valid = fc.date({ noInvalidDate: true, min: new Date('2026-01-01'), max: new Date('2027-01-01') }).map((d) => d.toISOString());
    specific = instants;
  } else if (Object.values(own.ids).flat().some(accepts) && !accepts('x y')) {
    valid = fc.constantFrom(...Object.values(own.ids).flat());
    specific = idArb(own, foreign);
  } else {
    valid = fc.constantFrom(own.sub, 'app_ro', 'system');
    specific = fc.oneof(fc.constantFrom(foreign.sub, `${own.sub}#RQR#x`, 'a'.repeat(256), 'a'.repeat(257), '😀'.repeat(128)), oddStrings);
  }
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 4, arbitrary: specific },
    { weight: 1, arbitrary: fc.oneof(numbers, instants, oddStrings, idArb(own, foreign)) },
  );
}

const unknownNames = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'Limit', 'limit ', 'LIMIT', 'cursor[]', 'limit[0]', 'tenant', 'tenantId', 'PK', 'ExclusiveStartKey', ''), fc.string({ maxLength: 10 }));

type Pairs = [string, string | BoundCursor][];
/** Query parameters in order; `path` pins path parameters (the page a real cursor came from). */
type Query = { pairs: Pairs; path?: Record<string, string> };

/** @param accepted the names this route's query takes (see calibrateQueries); mostly those are sent */
function queryArb(own: TenantWorld, foreign: TenantWorld, accepted: readonly string[], routeKey: string): fc.Arbitrary<Query> {
  const known = [...knownQueryFields.keys()];
  const name = fc.oneof(
    ...(accepted.length ? [{ weight: 8, arbitrary: fc.constantFrom(...accepted) }] : []),
    ...(accepted.includes('cursor') ? [{ weight: 4, arbitrary: fc.constant('cursor') }] : []),
    { weight: 1, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: unknownNames },
  );
  const pair = name.chain((n) => fc.tuple(fc.constant(n), valueArb(n, own, foreign, routeKey)));
  // A crafted cursor with an otherwise valid query (often the very filter a real cursor came from): the cursor is
  // then what the server has to judge.
  const routeCursors = own.cursors[routeKey] ?? [];
  const cursorQuery: fc.Arbitrary<Query> = fc.oneof(
    ...(routeCursors.length ? [{ weight: 3, arbitrary: pagedQueryArb(own, foreign, routeCursors) }] : []),
    { weight: 1, arbitrary: valueArb('cursor', own, foreign, routeKey).map((cursor): Query => ({ pairs: [['cursor', cursor]] })) },
  );
  const cursorOnly = fc.tuple(cursorQuery, rarely(fc.constantFrom('1', '2', '25'), 3)).map(
    ([q, limit]): Query => ({ ...q, pairs: [...q.pairs, ...(limit ? [['limit', limit] as [string, string]] : [])] }),
  );
  // Repeated names come out naturally; HTTP API joins their values with commas.
  return fc.oneof(
    ...(accepted.includes('cursor') ? [{ weight: 12, arbitrary: cursorOnly }] : []),
    { weight: 2, arbitrary: fc.constant<Query>({ pairs: [] }) },
    { weight: 5, arbitrary: fc.array(pair, { minLength: 1, maxLength: 2 }).map((pairs): Query => ({ pairs })) },
    { weight: 2, arbitrary: fc.array(pair, { maxLength: 6 }).map((pairs): Query => ({ pairs })) },
  );
}

/** Signs a crafted grant-log key with the binding the server expects for this exact query, so it reaches the key checks. */
function bindCursor(c: BoundCursor, tenant: string, query: Record<string, string>, requestId: string | undefined): string {
  let binding = 'unbindable';
  let k = c.k;
  if (c.bindTo === 'timeline') binding = filterBinding(tenant, 'timeline', { requestId: requestId ?? '' });
  else {
    const parsed = auditSchemas.listEventsQuery.safeParse({ ...query, cursor: 'x' });
    const parsedExport = auditSchemas.exportEventsQuery.safeParse({ ...query, cursor: 'x' });
    const q = parsed.success ? parsed.data : parsedExport.success ? parsedExport.data : undefined;
    if (q) {
      const filter = normalizeFilter(auditSchemas.toLogFilter(q));
      binding = filterBinding(tenant, 'events', filter);
      const plan = planLogQuery(tenant, filter);
      if (c.fillPartition) k = { ...k, [plan.partition.name]: plan.partition.value };
    }
  }
  return Buffer.from(JSON.stringify({ v: 1, b: binding, k })).toString('base64url');
}

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** @param fits what calibration learnt about the route: body templates that pass validation, query names it accepts */
export function requestArb(route: HttpApiRoute, worlds: Record<Caller, TenantWorld>, fits: { bodies: readonly number[]; query: readonly string[] }): fc.Arbitrary<FuzzRequest> {
  const params = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!);
  const forCaller = (caller: Caller) => {
    const own = worlds[caller];
    const foreign = worlds[caller === 'fuzz' ? 'other' : 'fuzz'];
    return fc
      .record({
        segments: fc.tuple(...params.map((p) => segmentArb(p, own, foreign))),
        query: queryArb(own, foreign, fits.query, route.routeKey),
        raw: rarely(fc.constantFrom('limit', '=', '&&&', 'limit=1&', '%', 'a=%zz', 'cursor=%00', '?', 'limit=1&limit=2', 'x=1;y=2'), 10),
        body: bodyArb(own, foreign, fits.bodies),
      })
      .map(({ segments: generated, query: { pairs, path: pinned }, raw, body }): FuzzRequest => {
        const segments = params.map((p, i) => (pinned?.[p] !== undefined ? percentEncode(pinned[p]) : generated[i]!));
        // The query as the handler will see it (repeated names joined), for binding crafted grant-log cursors to it.
        const seen: Record<string, string> = {};
        for (const [n, v] of pairs) if (typeof v === 'string') seen[n] = n in seen ? `${seen[n]},${v}` : v;
        const requestId = params.includes('requestId') ? decode(segments[params.indexOf('requestId')]!) : undefined;
        const strings = pairs.map(([n, v]): [string, string] => [n, typeof v === 'string' ? v : bindCursor(v, own.tenant, seen, requestId)]);
        const query = [...strings.map(([n, v]) => `${percentEncode(n)}=${percentEncode(v)}`), ...(raw ? [raw] : [])].join('&');
        const path = route.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => segments[params.indexOf(name)]!);
        return { caller, method: route.method, path, query, body };
      });
  };
  return fc.oneof({ weight: 3, arbitrary: forCaller('fuzz') }, { weight: 1, arbitrary: forCaller('other') });
}
