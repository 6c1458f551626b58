import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { routeTableFrom } from '#dev/local-api/route-table';
import { readServerlessYaml } from '#dev/serverless-config';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';
import { validBodies } from '../support/fuzz-bodies.ts';
import { knownQueryFields, requestArb, type Caller, type FuzzRequest } from '../support/fuzz-requests.ts';
import { buildWorld, calibrateBodies, calibrateQueries, type TenantWorld } from '../support/fuzz-world.ts';
import { sendRaw, type RawResponse } from '../support/raw-http.ts';
import { documentProblems } from '../support/openapi-check.ts';

// Invariants 3, 5 and 6 against the real handlers and the real DynamoDB adapters
// (the unit fuzz in tests/unit/http uses spy use cases, so it cannot see a 5xx
// that only a real store produces). Every HTTP API route of serverless.yml gets
// adversarial path parameters, queries (crafted cursors above all) and bodies,
// as a user of a fuzz tenant holding every role, or as a user of another tenant.
// Each request must: answer < 500; answer an error as { error, message }; if
// refused (4xx), change neither tenant's grant log; if accepted, change nothing
// of the other tenant; and never show the other tenant's ids or external IDs, or
// anything that looks like AWS credentials.
//
// Requests go one at a time and both tenants' event counts are read after each,
// so every write is attributed to the one request that made it: a refusal that
// wrote is caught even between accepted requests that may write.
//
// Bounded: LATCHKEY_FUZZ_REQUESTS (default 1500, about 30 s) requests, split over
// the routes by how much input each takes, from a fixed seed (LATCHKEY_FUZZ_SEED;
// route i uses seed + i). A failure prints that seed and the exact request, and
// fast-check its counterexample; rerun with the same seed and `-t '<route>'` to
// generate the same inputs again (the ids in them are of that run's objects).

const routes = routeTableFrom(readServerlessYaml(), { stage: 'local' }).httpApi;
const SEED = Number(process.env.LATCHKEY_FUZZ_SEED ?? 20_261_124);
const BUDGET = Number(process.env.LATCHKEY_FUZZ_REQUESTS ?? 1500);

const SECRET_MARKERS = ['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'SecretAccessKey', 'aws_secret_access_key', 'SessionToken'];

const stores = dynamoStores();
let worlds: Record<Caller, TenantWorld>;
/** Strings that belong to one tenant: its id, its objects' ids, its external IDs and role ARNs (and ids it later gets back in a 2xx). */
const belongings: Record<Caller, Set<string>> = { fuzz: new Set(), other: new Set() };
let eventCounts: Record<Caller, number>;
let bodyFits: Map<string, number[]>;
let queryFits: Map<string, string[]>;
/** Requests per route: the budget split by how much input each route takes. */
const runs = new Map<string, number>();
/** Per route: answered 2xx; refused; and refused past validation (403, 404, 409, 422: the use case or the store decided). */
const stats = new Map<string, { ok: number; refused: number; deep: number }>();
let sent = 0;
const started = Date.now();

const otherOf = (caller: Caller): Caller => (caller === 'fuzz' ? 'other' : 'fuzz');
const countEvents = async () => ({ fuzz: (await stores.events(worlds.fuzz.tenant)).length, other: (await stores.events(worlds.other.tenant)).length });

beforeAll(async () => {
  worlds = {
    fuzz: await buildWorld(freshTenant('fuzz'), 'fz', '111122223333', routes),
    other: await buildWorld(freshTenant('fuzzother'), 'ot', '444455556666', routes),
  };
  for (const caller of ['fuzz', 'other'] as const) {
    const w = worlds[caller];
    for (const needle of [w.tenant, ...Object.values(w.ids).flat(), ...w.externalIds, ...w.roleArns]) belongings[caller].add(needle);
  }
  bodyFits = await calibrateBodies(worlds.fuzz, routes, validBodies(worlds.fuzz, worlds.fuzz, 0));
  queryFits = await calibrateQueries(worlds.fuzz, routes, [...knownQueryFields.keys()]);
  // The budget in shares: one per route, one more for a body, two more for a page cursor (where the 500s were).
  const shares = (r: (typeof routes)[number]) => 1 + (r.method !== 'GET' ? 1 : 0) + (queryFits.get(r.routeKey)?.includes('cursor') ? 2 : 0);
  const perShare = BUDGET / routes.reduce((n, r) => n + shares(r), 0);
  for (const r of routes) runs.set(r.routeKey, Math.max(1, Math.round(shares(r) * perShare)));
  eventCounts = await countEvents();
});

afterAll(() => {
  const rows = [...stats].map(([route, s]) => `  ${route.padEnd(48)} 2xx ${String(s.ok).padStart(3)}  4xx ${String(s.refused).padStart(3)} (past validation ${String(s.deep).padStart(3)})`);
  console.info(`route fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})\n${rows.join('\n')}`);
});

/** What a reader needs to send the same request again. */
function reproduction(r: FuzzRequest, seed: number, res?: RawResponse): string {
  const body = r.body.body;
  const shownBody = body === undefined ? '(none)' : body.length <= 1500 ? JSON.stringify(body) : `${body.length} characters, starting ${JSON.stringify(body.slice(0, 200))}`;
  const lines = [
    `seed ${seed} (LATCHKEY_FUZZ_SEED=${SEED}) — as the ${r.caller === 'fuzz' ? 'fuzz tenant' : 'other tenant'}'s user (${worlds[r.caller].tenant}, every role):`,
    `  ${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`,
    `  content-type: ${r.body.contentType ?? '(none)'}; body (${r.body.label}): ${shownBody}`,
  ];
  if (res) lines.push(`  → ${res.status} ${res.text.slice(0, 1500)}`);
  return lines.join('\n');
}

/** The body, the headers, and any cursor decoded: a key inside base64 is still a leak. */
function visibleText(res: RawResponse): string {
  const cursors = [res.headers['x-next-cursor'], (res.json as { nextCursor?: unknown } | undefined)?.nextCursor].filter((c): c is string => typeof c === 'string');
  return [res.text, JSON.stringify(res.headers), ...cursors.map((c) => Buffer.from(c, 'base64url').toString('utf8'))].join('\n');
}

async function sendAndCheck(routeKey: string, template: string, seed: number, r: FuzzRequest): Promise<void> {
  const w = worlds[r.caller];
  const headers: Record<string, string> = { authorization: `Bearer ${w.token}` };
  if (r.body.contentType !== undefined) headers['content-type'] = r.body.contentType;
  const res = await sendRaw(inject('apiUrl'), { method: r.method, path: r.path, query: r.query, headers, ...(r.body.body !== undefined ? { body: Buffer.from(r.body.body) } : {}) });
  sent += 1;
  const before = eventCounts;
  eventCounts = await countEvents();
  const s = stats.get(routeKey) ?? { ok: 0, refused: 0, deep: 0 };
  if (res.status < 400) s.ok += 1;
  else s.refused += 1;
  if (res.status >= 400 && res.status < 500 && ![400, 413, 415].includes(res.status)) s.deep += 1;
  stats.set(routeKey, s);

  // Invariant 6: no input produces a 5xx, and a refusal says what and why.
  expect(res.status, `5xx for:\n${reproduction(r, seed, res)}`).toBeLessThan(500);
  // Whatever it answers is what docs/openapi.json says this route answers.
  const undocumented = documentProblems({ method: r.method, path: r.path, template, status: res.status, contentType: res.headers['content-type'] ?? null, body: res.json ?? res.text });
  expect(undocumented, `not as documented:\n${reproduction(r, seed, res)}`).toEqual([]);
  if (res.status >= 400) {
    const body = res.json as { error?: unknown; message?: unknown } | undefined;
    expect(typeof body?.error === 'string' && typeof body.message === 'string', `error body is not { error, message }:\n${reproduction(r, seed, res)}`).toBe(true);
    // …and changes nothing: no grant-log event in either tenant.
    expect(eventCounts, `a ${res.status} wrote to a grant log:\n${reproduction(r, seed, res)}`).toEqual(before);
    expect(res.text, `an error names an external ID:\n${reproduction(r, seed, res)}`).not.toContain('lk-ext-');
  } else {
    // Invariant 3: what one tenant's user may do never writes to the other tenant.
    expect(eventCounts[otherOf(r.caller)], `a ${res.status} wrote to the other tenant's grant log:\n${reproduction(r, seed, res)}`).toBe(before[otherOf(r.caller)]);
  }

  // Invariants 3 and 5: nothing of the other tenant, and nothing that looks like AWS credentials.
  const text = visibleText(res);
  for (const needle of belongings[otherOf(r.caller)]) {
    expect(text.includes(needle), `the response shows ${needle} of the other tenant:\n${reproduction(r, seed, res)}`).toBe(false);
  }
  for (const marker of SECRET_MARKERS) expect(text.includes(marker), `the response shows ${marker}:\n${reproduction(r, seed, res)}`).toBe(false);
  // What a tenant's own user got back in a success is that tenant's from now on (new targets, requests, external IDs).
  if (res.status < 300) for (const id of text.match(/\b(?:[a-z]{2,4}_[0-9A-Z]{26}|lk-ext-[a-z2-7]{32})\b/g) ?? []) belongings[r.caller].add(id);
}

describe('every HTTP API route under adversarial input, against the real stores', () => {
  it.each(routes.map((route, i) => [route.routeKey, route, i] as const))('%s: < 500, { error, message }, refusals change nothing, nothing of the other tenant', async (routeKey, route, i) => {
    await fc.assert(
      fc.asyncProperty(requestArb(route, worlds, { bodies: bodyFits.get(routeKey) ?? [], query: queryFits.get(routeKey) ?? [] }), (r) => sendAndCheck(routeKey, route.path, SEED + i, r)),
      { seed: SEED + i, numRuns: runs.get(routeKey) ?? 1, endOnFailure: true },
    );
  });

  it('was not vacuous: every route of serverless.yml was fuzzed and got past validation sometimes; many requests were refused, some succeeded', () => {
    expect(routes.length).toBeGreaterThan(0);
    expect([...stats.keys()].sort()).toEqual(routes.map((r) => r.routeKey).sort());
    for (const route of routes) {
      const s = stats.get(route.routeKey);
      expect((s?.ok ?? 0) + (s?.deep ?? 0), `${route.routeKey} never got past validation`).toBeGreaterThan(0);
    }
    const total = [...stats.values()].reduce((sum, s) => ({ ok: sum.ok + s.ok, refused: sum.refused + s.refused }), { ok: 0, refused: 0 });
    expect(total.ok).toBeGreaterThan(sent * 0.05);
    expect(total.refused).toBeGreaterThan(sent * 0.5);
  });
});
