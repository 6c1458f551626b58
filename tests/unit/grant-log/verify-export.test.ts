import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainEvent, chainOf, checkpointEntry, genesisHash, signDigest, verifyExport, type DigestSigner, type LogEvent, type SignedDigest } from '#shared/grant-log/index';

// Offline verification of a JSON Lines export: events, checkpoints, then signed digests (P-256, as KMS signs).

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer: DigestSigner = {
  keyId: 'arn:aws:kms:eu-central-1:000000000000:key/test',
  algorithm: 'ECDSA_SHA_256',
  sign: async (message) => sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }),
};
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A tenant's log: `n` events over a few requests (so several chains), plus a checkpoint; and the heads. */
function log(n: number, tenantId = 'acme') {
  const heads = new Map<number, { seq: number; hash: string }>();
  const events: LogEvent[] = [];
  const append = (entry: Parameters<typeof chainEvent>[0]) => {
    const chain = chainOf(entry);
    const head = heads.get(chain) ?? { seq: 0, hash: genesisHash };
    const event = chainEvent(entry, head.seq + 1, head.hash);
    heads.set(chain, { seq: event.seq, hash: event.hash });
    events.push(event);
  };
  for (let i = 0; i < n; i++) {
    append({ tenantId, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), action: 'request.created', actorId: `u${i}`, actorKind: 'user', outcome: 'success', requestId: `req_${i % 5}`, targetId: 'tgt_1' });
    if (i === 5) append(checkpointEntry(tenantId, [...heads].map(([chain, h]) => ({ chain, ...h })), new Date(Date.UTC(2026, 0, 1, 0, i, 30))));
  }
  return { events, heads: () => [...heads].map(([chain, h]) => ({ chain, ...h })).sort((a, b) => a.chain - b.chain) };
}

/** The export's lines: events (oldest first), checkpoints, digests. */
const fileOf = (events: LogEvent[], digests: SignedDigest[]) =>
  [...events.filter((e) => e.action !== 'log.checkpoint'), ...events.filter((e) => e.action === 'log.checkpoint'), ...digests].map((x) => JSON.stringify(x)).join('\n') + '\n';

async function signedExport() {
  const first = log(8);
  const d1 = await signDigest(signer, { tenantId: 'acme', heads: first.heads(), at: new Date(Date.UTC(2026, 0, 1, 1)) });
  const later = log(12);
  const d2 = await signDigest(signer, { tenantId: 'acme', heads: later.heads(), at: new Date(Date.UTC(2026, 0, 1, 2)), previous: d1 });
  return { events: later.events, digests: [d1, d2], lines: fileOf(later.events, [d1, d2]).trimEnd().split('\n') };
}

const join = (lines: string[]) => lines.join('\n') + '\n';

describe('verifyExport', () => {
  it('accepts an export as written, oldest or newest first, with its signatures checked', async () => {
    const { events, digests, lines } = await signedExport();
    expect(verifyExport(join(lines), publicPem)).toMatchObject({ ok: true, events: events.length, digests: 2, signaturesChecked: true, unsignedEvents: 0, tenantId: 'acme' });
    const ordinary = events.filter((e) => e.action !== 'log.checkpoint').reverse();
    const newestFirst = [...ordinary, ...events.filter((e) => e.action === 'log.checkpoint'), ...digests].map((x) => JSON.stringify(x));
    expect(verifyExport(join(newestFirst), publicPem)).toMatchObject({ ok: true, events: events.length });
    expect(verifyExport(join(lines))).toMatchObject({ ok: true, signaturesChecked: false });
  });

  it('names an edited line', async () => {
    const { lines } = await signedExport();
    const edited = [...lines];
    edited[3] = edited[3]!.replace('"actorId":"u3"', '"actorId":"mallory"');
    expect(verifyExport(join(edited), publicPem).finding).toMatchObject({ line: 4, kind: 'modified' });
  });

  it('names a deleted line by the seq that is missing', async () => {
    const { lines } = await signedExport();
    const chainOfLine = (i: number) => chainOf(JSON.parse(lines[i]!) as LogEvent);
    // The 2nd event of the chain of line 1: deleting it leaves a gap in that chain.
    const victim = lines.findIndex((l, i) => i > 0 && chainOfLine(i) === chainOfLine(0));
    const deleted = lines.filter((_, i) => i !== victim);
    expect(verifyExport(join(deleted), publicPem).finding).toMatchObject({ kind: 'deleted', chain: chainOfLine(0), seq: 2 });
    // The first event of a chain too: a chain must start at seq 1.
    expect(verifyExport(join(lines.slice(1)), publicPem).finding).toMatchObject({ kind: 'deleted', chain: chainOfLine(0), seq: 1 });
  });

  it('names the last event of a chain deleted, by the digest that signed it', async () => {
    const { lines, events } = await signedExport();
    const lastEvent = events.filter((e) => e.action !== 'log.checkpoint').at(-1)!;
    const index = lines.findIndex((l) => (JSON.parse(l) as LogEvent).hash === lastEvent.hash);
    const result = verifyExport(join(lines.filter((_, i) => i !== index)), publicPem);
    expect(result.finding).toMatchObject({ kind: 'deleted', chain: chainOf(lastEvent), seq: lastEvent.seq, line: lines.length - 1 });
  });

  it('names reordered lines', async () => {
    const { lines } = await signedExport();
    const swapped = [...lines];
    [swapped[2], swapped[6]] = [swapped[6]!, swapped[2]!];
    expect(verifyExport(join(swapped), publicPem).finding).toMatchObject({ line: 3, kind: 'reordered' });
  });

  it('names swapped, forged and foreign digests', async () => {
    const { lines } = await signedExport();
    const n = lines.length;
    const swapped = [...lines];
    [swapped[n - 2], swapped[n - 1]] = [swapped[n - 1]!, swapped[n - 2]!];
    expect(verifyExport(join(swapped), publicPem).finding).toMatchObject({ line: n, kind: 'digest-sequence' });

    const forged = [...lines];
    const d2 = JSON.parse(forged[n - 1]!) as SignedDigest;
    forged[n - 1] = JSON.stringify({ ...d2, heads: d2.heads.map((h) => (h.seq > 0 ? { ...h, seq: h.seq - 1 } : h)) });
    expect(verifyExport(join(forged), publicPem).finding).toMatchObject({ line: n, kind: 'signature' });

    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(verifyExport(join(lines), other).finding).toMatchObject({ line: n - 1, kind: 'signature' });
  });

  it('catches a chain recomputed after an edit: the hashes link again, the signed digest does not agree', async () => {
    const { events, digests } = await signedExport();
    // Rewrite seq 1 of one chain and re-hash that chain onward, as someone with table access could.
    const target = chainOf(events[0]!);
    let prev = genesisHash;
    const rewritten = events.map((e) => {
      if (chainOf(e) !== target) return e;
      const { seq, prevHash: _p, hash: _h, ...entry } = e;
      const again = chainEvent(seq === 1 ? { ...entry, actorId: 'mallory' } : entry, seq, prev);
      prev = again.hash;
      return again;
    });
    const file = fileOf(rewritten, digests);
    const result = verifyExport(file, publicPem);
    expect(result.finding).toMatchObject({ kind: 'rewritten', chain: target });
    expect(result.finding!.line).toBe(file.trimEnd().split('\n').length - 1);
  });
});
