import { describe, expect, it } from 'vitest';
import { ChainWalker, chainStart } from '#shared/grant-log/verify-chain';
import { chainEvent, genesisHash, type LogEvent } from '#shared/grant-log/events';
import { checkDigests, hmacDigestSigner, signDigest, type ChainDigest } from '#shared/grant-log/digest';

const signer = hmacDigestSigner('local-1', 'a secret the log writers never see');

function chain(n: number, actor = (seq: number) => `u${seq}`): LogEvent[] {
  const out: LogEvent[] = [];
  let prev = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const e = chainEvent({ tenantId: 'acme', at: new Date(Date.UTC(2026, 0, 1, seq)).toISOString(), action: 'request.created', actorId: actor(seq), actorKind: 'user', outcome: 'success' }, seq, prev);
    out.push(e);
    prev = e.hash;
  }
  return out;
}

async function digestsAt(events: LogEvent[], seqs: number[]): Promise<ChainDigest[]> {
  const out: ChainDigest[] = [];
  for (const seq of seqs) {
    const head = events[seq - 1]!;
    out.push(await signDigest(signer, { tenantId: 'acme', head, at: new Date(Date.UTC(2026, 0, 2, seq)), ...(out.length ? { previous: out.at(-1)! } : {}) }));
  }
  return out;
}

const hashes = (events: LogEvent[]) => async (seq: number) => events.find((e) => e.seq === seq)?.hash;

describe('signed chain digests', () => {
  it('accept an untouched chain', async () => {
    const events = chain(10);
    expect(await checkDigests(signer, await digestsAt(events, [3, 7, 10]), hashes(events))).toBeUndefined();
  });

  it('catch a chain rewritten consistently from seq 5 on, which the walk alone accepts', async () => {
    const events = chain(10);
    const digests = await digestsAt(events, [3, 7, 10]);
    const rewritten = [...events.slice(0, 4), ...chain(10, (seq) => (seq === 5 ? 'mallory' : `u${seq}`)).slice(4)];
    // Re-link the rewritten tail onto the untouched head of the chain.
    let prev = rewritten[3]!.hash;
    const relinked = rewritten.map((e) => {
      if (e.seq < 5) return e;
      const { seq, prevHash: _p, hash: _h, ...entry } = e;
      const next = chainEvent(entry, seq, prev);
      prev = next.hash;
      return next;
    });
    const walker = new ChainWalker(chainStart, { seq: 10, hash: relinked[9]!.hash });
    expect(relinked.map((event) => walker.check({ storedSeq: event.seq, event, keysMatch: true })).filter(Boolean)).toEqual([]);
    expect(await checkDigests(signer, digests, hashes(relinked))).toMatchObject({ seq: 7, problem: 'rewritten' });
  });

  it('catch a forged digest, a digest removed from the sequence, a missing event and a foreign key', async () => {
    const events = chain(10);
    const digests = await digestsAt(events, [3, 7, 10]);
    expect(await checkDigests(signer, [digests[0]!, { ...digests[1]!, hash: events[8]!.hash, seq: 9 }], hashes(events))).toMatchObject({ problem: 'signature' });
    expect(await checkDigests(signer, [digests[0]!, digests[2]!], hashes(events))).toMatchObject({ seq: 10, problem: 'sequence' });
    expect(await checkDigests(signer, digests, hashes(events.filter((e) => e.seq !== 7)))).toMatchObject({ seq: 7, problem: 'missing' });
    expect(await checkDigests(hmacDigestSigner('local-1', 'another secret'), digests, hashes(events))).toMatchObject({ seq: 3, problem: 'signature' });
  });
});
