import { expect } from 'vitest';
import type { HttpApiRoute } from '#dev/local-api/route-table';
import { api, type ApiClient } from './api.ts';
import { policy, targetInput } from './builders.ts';
import { tokenFor } from './tokens.ts';

// One tenant's real objects for the route fuzzer, made over HTTP as its users
// would: integrations (with Latchkey-generated external IDs), targets, services,
// requests in several states, and real page cursors of every listing. The
// fuzzer aims at these ids (its own and the other tenant's) so that requests get
// past "not found" into the code that decides, writes and pages.

export const FUZZ_GROUP = 'fuzz-dba';
export const ALL_ROLES = ['admin', 'requester', 'approver', 'auditor'];
export const DB_USER = 'app_ro';

/** A real cursor, and the path parameters and query (other than limit) of the page that handed it out. */
export type PagedCursor = { cursor: string; query: string; path: Record<string, string> };

export type TenantWorld = {
  tenant: string;
  sub: string;
  accountId: string;
  /** A user with every role, in the group the targets' policies name. */
  token: string;
  /** Real ids by kind (`request`, `target`, `integration`), the kind being a path parameter's name without `Id`. */
  ids: Record<string, string[]>;
  externalIds: string[];
  /** Role ARNs registered for integrations and services (each names the tenant). */
  roleArns: string[];
  /** nextCursor values of this tenant's listings, as the API handed them out, by route key, with the filter they page. */
  cursors: Record<string, PagedCursor[]>;
};

export async function buildWorld(tenant: string, label: string, accountId: string, routes: readonly HttpApiRoute[]): Promise<TenantWorld> {
  const sub = `${label}-fuzzer`;
  const token = await tokenFor({ sub, tenant, roles: ALL_ROLES, groups: [FUZZ_GROUP] });
  const me = api(token);
  const bob = api(await tokenFor({ sub: `${label}-bob`, tenant, roles: ['requester', 'approver'], groups: [FUZZ_GROUP] }));
  const ok = async (call: Promise<{ status: number; body: any }>) => {
    const res = await call;
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };

  const integrations = [await ok(me.post('/integrations', { accountId, name: `${label}-one` })), await ok(me.post('/integrations', { accountId, name: `${label}-two` }))];
  const integrationRole = `arn:aws:iam::${accountId}:role/latchkey/${tenant}`;
  await ok(me.put(`/integrations/${integrations[0].integrationId}/role`, { roleArn: integrationRole }));
  const fuzzPolicy = policy({ approvers: { groups: [FUZZ_GROUP], principals: [] }, maxDurationMinutes: 240 });
  const targets = [
    await ok(me.post('/targets', targetInput({ name: `${label}-linked`, accountId, integrationId: integrations[0].integrationId, databaseUsers: [DB_USER], policy: fuzzPolicy }))),
    await ok(me.post('/targets', targetInput({ name: `${label}-plain`, accountId, databaseUsers: [DB_USER, 'app_rw'], policy: fuzzPolicy }))),
  ];
  const serviceRoles = [1, 2].map((n) => `arn:aws:iam::${accountId}:role/${tenant}-svc-${n}`);
  for (const roleArn of serviceRoles) {
    await ok(me.post('/services', { roleArn, name: `${label}-svc`, access: [{ targetId: targets[0].targetId, databaseUsers: [DB_USER] }] }));
  }
  const ask = { targetId: targets[0].targetId, databaseUser: DB_USER, durationMinutes: 60, reason: 'fuzzing' };
  const pending = await ok(me.post('/requests', ask));
  const approved = await ok(me.post('/requests', ask));
  await ok(bob.post(`/requests/${approved.requestId}/approve`, { note: 'ok' }));
  const bobs = await ok(bob.post('/requests', ask));
  // Last of its kind: what calibration (below) may approve, deny or revoke without spending the others.
  const spare = await ok(bob.post('/requests', ask));

  const world: TenantWorld = {
    tenant,
    sub,
    accountId,
    token,
    ids: {
      request: [pending.requestId, approved.requestId, bobs.requestId, spare.requestId],
      target: targets.map((t) => t.targetId),
      integration: integrations.map((i) => i.integrationId),
    },
    externalIds: integrations.map((i) => i.externalId),
    roleArns: [integrationRole, ...serviceRoles],
    cursors: {},
  };
  world.cursors = await collectCursors(me, world, routes);
  expect(Object.keys(world.cursors).length).toBeGreaterThan(3);
  return world;
}

/**
 * For each route that takes a body, which of `templates` get past validation (any answer but 400, 413 or 415),
 * sent with the last real id of each kind. Lets the fuzzer start from bodies that reach the use case and the
 * store, where a 5xx from a real adapter would be, without a hand-written route-to-schema table.
 */
export async function calibrateBodies(world: TenantWorld, routes: readonly HttpApiRoute[], templates: readonly unknown[]): Promise<Map<string, number[]>> {
  const client = api(world.token);
  const fits = new Map<string, number[]>();
  for (const route of routes.filter((r) => r.method !== 'GET')) {
    const path = route.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => world.ids[name.replace(/Id$/, '')]?.at(-1) ?? 'x');
    const indices: number[] = [];
    for (const [i, body] of templates.entries()) {
      const send = { POST: client.post, PUT: client.put }[route.method] ?? client.post;
      const res = await send(path, body);
      if (![400, 413, 415].includes(res.status)) indices.push(i);
    }
    fits.set(route.routeKey, indices);
  }
  return fits;
}

/**
 * For each route, which of `names` its query accepts: a name is refused as unknown when zod reports an issue at
 * the root (`path: ''`) for it alone. Lets the fuzzer mostly send parameters that get past the strict schemas.
 */
export async function calibrateQueries(world: TenantWorld, routes: readonly HttpApiRoute[], names: readonly string[]): Promise<Map<string, string[]>> {
  const client = api(world.token);
  const accepted = new Map<string, string[]>();
  for (const route of routes.filter((r) => r.method === 'GET')) {
    const path = route.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => world.ids[name.replace(/Id$/, '')]?.[0] ?? 'x');
    const known: string[] = [];
    for (const name of names) {
      const res = await client.get(`${path}?${encodeURIComponent(name)}=1`);
      const unknown = res.status === 400 && (res.body?.details ?? []).some((d: { path?: string }) => d.path === '');
      if (!unknown) known.push(name);
    }
    accepted.set(route.routeKey, known);
  }
  return accepted;
}

/** Pages every GET route of the table once with limit=1 (and a few filters) and keeps the cursors it hands out. */
async function collectCursors(client: ApiClient, world: TenantWorld, routes: readonly HttpApiRoute[]): Promise<Record<string, PagedCursor[]>> {
  const cursors: Record<string, PagedCursor[]> = {};
  for (const route of routes.filter((r) => r.method === 'GET')) {
    const params: Record<string, string> = {};
    const path = route.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => (params[name] = world.ids[name.replace(/Id$/, '')]?.[1] ?? 'x'));
    const found: PagedCursor[] = [];
    for (const query of ['', 'view=tenant&status=pending', 'order=oldest', `actor=${world.sub}`, 'action=request.created']) {
      const res = await client.get(`${path}?limit=1${query ? `&${query}` : ''}`);
      const next = res.body?.nextCursor ?? res.headers.get('x-next-cursor');
      if (typeof next === 'string' && next !== '' && !found.some((f) => f.cursor === next)) found.push({ cursor: next, query, path: params });
    }
    if (found.length) cursors[route.routeKey] = found;
  }
  return cursors;
}
