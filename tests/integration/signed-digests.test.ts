import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HeadDirectory } from '#shared/adapters/dynamodb/tenant-directory';
import { DynamoDigestStore } from '#shared/adapters/dynamodb/digest-store';
import { signAllDigests } from '#shared/audit/sign-digests';
import { LogAction, type DigestSigner } from '#shared/grant-log/index';
import { target } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

// The scheduled digest run against DynamoDB Local: the tenants come from GSI8 (a Query on the chain
// heads, no Scan), each tenant whose log moved gets one digest linked to its last, a quiet one none.

const stores = dynamoStores();
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer: DigestSigner = { keyId: 'arn:aws:kms:eu-central-1:000000000000:key/it', algorithm: 'ECDSA_SHA_256', sign: async (m) => sign('sha256', m, { key: privateKey, dsaEncoding: 'der' }) };
const digests = new DynamoDigestStore(stores.db, stores.tables);
const deps = { clock: { now: () => new Date() }, digests, signer, tenants: new HeadDirectory(stores.db, stores.tables) };

async function addTarget(tenant: string, id: string): Promise<void> {
  await stores.targets.create(target(tenant, id), { tenantId: tenant, at: new Date().toISOString(), action: LogAction.targetCreated, actorId: 'ada', actorKind: 'user', outcome: 'success', targetId: id });
}

describe('the scheduled digest run', () => {
  it('finds every tenant with a log through GSI8, signs those whose heads moved, and links each digest to the one before', async () => {
    const [busy, quiet] = [freshTenant('dg-busy'), freshTenant('dg-quiet')];
    await addTarget(busy, 'tgt_a');
    await addTarget(busy, 'tgt_b');
    await addTarget(quiet, 'tgt_a');
    const listed: string[] = [];
    for await (const t of deps.tenants.tenants()) listed.push(t);
    expect(listed).toEqual(expect.arrayContaining([busy, quiet]));
    expect(new Set(listed).size).toBe(listed.length);

    await signAllDigests(deps);
    const first = { busy: (await digests.latest(busy))!, quiet: (await digests.latest(quiet))! };
    expect(first.busy.heads.filter((h) => h.seq > 0).map((h) => h.seq)).toEqual(expect.arrayContaining([1]));
    expect(first.busy.heads).toEqual(expect.arrayContaining((await digests.heads(busy)).map((h) => expect.objectContaining(h))));

    await addTarget(busy, 'tgt_c');
    const run = await signAllDigests(deps);
    expect(run.failed).toEqual([]);
    // The stack's own schedule may sign these tenants too (with its key): judge the links, not who signed.
    const all = (await digests.list(busy, {}, { limit: 100 })).items;
    all.forEach((d, i) => expect(d.previous).toBe(i === 0 ? null : all[i - 1]!.signature));
    expect(all.at(-1)!.heads).toEqual(expect.arrayContaining((await digests.heads(busy)).map((h) => expect.objectContaining(h))));
    expect(all.map((d) => d.at)).toContain(first.busy.at);
    expect(all.length).toBeGreaterThanOrEqual(2);
    // Nothing moved in the quiet tenant: still the one digest.
    expect((await digests.list(quiet, {}, { limit: 100 })).items).toEqual([first.quiet]);
  });
});
