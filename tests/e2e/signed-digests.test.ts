import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#dev/free-port';
import { api, type ApiClient } from '../support/api.ts';
import { policy, targetInput } from '../support/builders.ts';
import { freshTenant } from '../support/dynamo.ts';
import { forgetPeople, person, runCli } from '../support/cli.ts';
import { tokenFor } from '../support/tokens.ts';

// Signed digests end to end: the local stack signs every chain head with the KMS stand-in's real
// P-256 key, an auditor exports the log (events, checkpoints, digests), and `latchkey audit verify
// --file` checks it offline — with no API to reach and every network connection refused — then
// names the first broken link after a line is edited, deleted or moved, or a digest swapped.

const denyNetwork = fileURLToPath(new URL('../package/deny-network.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'latchkey-digests-'));
afterAll(() => {
  forgetPeople();
  rmSync(dir, { recursive: true, force: true });
});

let tenant: string;
let auditorToken: string;
let auditor: ApiClient;
let alice: ApiClient;
let bob: ApiClient;
let targetId: string;

beforeAll(async () => {
  tenant = freshTenant('digests');
  auditorToken = await tokenFor({ sub: 'audrey', tenant, roles: ['auditor'] });
  auditor = api(auditorToken);
  const admin = api(await tokenFor({ sub: 'ada', tenant, roles: ['admin'] }));
  alice = api(await tokenFor({ sub: 'alice', tenant, roles: ['requester'] }));
  bob = api(await tokenFor({ sub: 'bob', tenant, roles: ['approver'], groups: ['dba'] }));
  targetId = (await admin.post('/targets', targetInput({ policy: policy() }))).body.targetId;
});

/** A few requests decided: events in several chains. */
async function activity(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const created = await alice.post('/requests', { targetId, databaseUser: 'app_ro', durationMinutes: 30, reason: `INC-${i}, "quoted"` });
    expect(created.status).toBe(201);
    if (i % 2 === 0) expect((await bob.post(`/requests/${created.body.requestId}/approve`, {})).status).toBe(200);
  }
}

/** Every page of the JSON Lines export, appended, as `latchkey audit export` writes it. */
async function exportAll(order: 'oldest' | 'newest' = 'oldest'): Promise<string> {
  let text = '';
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ format: 'ndjson', order, limit: '7', ...(cursor ? { cursor } : {}) });
    // Plain fetch: a page of one line parses as JSON, which the document check would take for a JSON body.
    const response = await fetch(`${inject('apiUrl')}/audit/events/export?${query}`, { headers: { authorization: `Bearer ${auditorToken}` } });
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(response.status).toBe(200);
    text += await response.text();
    cursor = response.headers.get('x-next-cursor') ?? undefined;
  } while (cursor);
  return text;
}

/** `latchkey audit verify --file`, with nothing to talk to: no stack file, a dead API URL, and no network at all. */
async function verifyOffline(text: string, publicKey?: string) {
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(file, text);
  const args = ['audit', 'verify', '--file', file];
  if (publicKey !== undefined) {
    writeFileSync(join(dir, 'key.pem'), publicKey);
    args.push('--public-key', join(dir, 'key.pem'));
  }
  const offline = person('auditor', { LATCHKEY_HOME: mkdtempSync(join(dir, 'home-')), LATCHKEY_API_URL: `http://127.0.0.1:${await freePort()}`, NODE_OPTIONS: `--require ${denyNetwork}` });
  return runCli(offline, ['--no-color', ...args]);
}

const lines = (text: string) => text.trimEnd().split('\n');
const join_ = (ls: string[]) => `${ls.join('\n')}\n`;

describe('signed digests, verified offline', () => {
  let publicKeyPem: string;
  let text: string;

  it('signs the tenant’s chain heads on demand, links each digest to the one before, and signs nothing when nothing moved', async () => {
    await activity(6);
    expect((await alice.post('/audit/digests')).status).toBe(403);
    const first = await auditor.post('/audit/digests');
    expect(first.status).toBe(200);
    const d1 = first.body.digest;
    expect(d1).toMatchObject({ type: 'digest', tenantId: tenant, algorithm: 'ECDSA_SHA_256', heads: expect.any(Array) });
    expect(d1.heads).toHaveLength(32);
    expect((await auditor.post('/audit/digests')).body).toEqual({ signed: false, digest: d1 });

    await activity(3);
    const second = (await auditor.post('/audit/digests')).body.digest;
    expect(second.at > d1.at).toBe(true);
    // Signed by this call or by the schedule meanwhile: either way it follows d1.
    expect(second.previous).not.toBeNull();

    const key = await auditor.get('/audit/public-key');
    expect(key.status).toBe(200);
    expect(key.body.keyId).toBe(d1.keyId);
    publicKeyPem = key.body.publicKeyPem;
    expect(createPublicKey(publicKeyPem).asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    text = await exportAll();
    expect(lines(text).filter((l) => l.includes('"type":"digest"')).length).toBeGreaterThanOrEqual(2);
  });

  it('verifies the export offline, signatures included, oldest or newest first', async () => {
    const run = await verifyOffline(text, publicKeyPem);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/result:\s+intact/);
    expect(run.stdout).toContain('checked with the given public key');
    const newest = await verifyOffline(await exportAll('newest'), publicKeyPem);
    expect(newest.code, newest.stderr).toBe(0);
    const unkeyed = await verifyOffline(text);
    expect(unkeyed.code).toBe(0);
    expect(unkeyed.stdout).toContain('NOT checked');
  });

  it('names the first broken link after a line is edited, deleted or moved, or a digest is swapped', async () => {
    const ls = lines(text);
    const eventLines = ls.map((l, i) => [l, i] as const).filter(([l]) => !l.includes('"type":"digest"') && !l.includes('"log.checkpoint"'));
    const digestLines = ls.map((l, i) => [l, i] as const).filter(([l]) => l.includes('"type":"digest"'));

    const edited = [...ls];
    const [victim, at] = eventLines[2]!;
    edited[at] = victim.replace('"actorId":"', '"actorId":"x');
    const e = await verifyOffline(join_(edited), publicKeyPem);
    expect(e.code).toBe(10);
    expect(e.stdout).toContain(`Line ${at + 1} `);
    expect(e.stdout).toContain('edited');

    const deleted = ls.filter((_, i) => i !== eventLines[1]![1]);
    const d = await verifyOffline(join_(deleted), publicKeyPem);
    expect(d.code).toBe(10);
    expect(d.stdout).toMatch(/missing \(deleted\)|events were deleted/);

    const moved = [...ls];
    const [a, b] = [eventLines[0]![1], eventLines[4]![1]];
    [moved[a], moved[b]] = [moved[b]!, moved[a]!];
    const m = await verifyOffline(join_(moved), publicKeyPem);
    expect(m.code).toBe(10);
    expect(m.stdout).toContain(`Lines ${a + 1} and`);

    const swapped = [...ls];
    const [x, y] = [digestLines[0]![1], digestLines[1]![1]];
    [swapped[x], swapped[y]] = [swapped[y]!, swapped[x]!];
    const s = await verifyOffline(join_(swapped), publicKeyPem);
    expect(s.code).toBe(10);
    expect(s.stdout).toMatch(/digests were removed, swapped or reordered/);

    const forged = [...ls];
    const digest = JSON.parse(forged[x]!);
    forged[x] = JSON.stringify({ ...digest, heads: digest.heads.map((h: { seq: number }) => (h.seq > 0 ? { ...h, seq: h.seq - 1 } : h)) });
    const f = await verifyOffline(join_(forged), publicKeyPem);
    expect(f.code).toBe(10);
    expect(f.stdout).toContain(`Line ${x + 1}: the digest of`);
    expect(f.stdout).toContain('not signed by this public key');
  });
});
