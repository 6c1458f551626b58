import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChainWalker, chainStart, type BrokenLink, type WalkedEvent } from '#shared/grant-log/verify-chain';
import { chainEvent, genesisHash, type LogEvent } from '#shared/grant-log/events';

function chain(n: number): LogEvent[] {
  const out: LogEvent[] = [];
  let prev = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const e = chainEvent({ tenantId: 'acme', at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), action: 'request.created', actorId: `u${seq}`, actorKind: 'user', outcome: 'success' }, seq, prev);
    out.push(e);
    prev = e.hash;
  }
  return out;
}

const stored = (events: LogEvent[]): WalkedEvent[] => events.map((event) => ({ storedSeq: event.seq, event, keysMatch: true }));
const head = (events: LogEvent[]) => (events.length ? { seq: events.at(-1)!.seq, hash: events.at(-1)!.hash } : undefined);

/** Walks like verify does and returns the first broken link, if any. */
function walk(links: WalkedEvent[], headBefore: { seq: number; hash: string } | undefined, headAfter = headBefore): BrokenLink | undefined {
  const walker = new ChainWalker(chainStart, headBefore);
  for (const link of links) {
    const broken = walker.check(link);
    if (broken) return broken;
  }
  return walker.finish(headAfter);
}

const entryOf = ({ seq: _s, prevHash: _p, hash: _h, ...entry }: LogEvent) => entry;

describe('the chain walker', () => {
  it('accepts an untouched chain, and an empty one', () => {
    const events = chain(10);
    expect(walk(stored(events), head(events))).toBeUndefined();
    expect(walk([], undefined)).toBeUndefined();
  });

  it.each<[string, (e: LogEvent[]) => WalkedEvent[], Partial<BrokenLink>]>([
    ['a changed field', (e) => stored(e.map((x) => (x.seq === 4 ? { ...x, actorId: 'mallory' } : x))), { seq: 4, kind: 'modified' }],
    ['an added field', (e) => stored(e.map((x) => (x.seq === 2 ? ({ ...x, extra: 1 } as LogEvent) : x))), { seq: 2, kind: 'modified' }],
    ['re-keyed index attributes', (e) => stored(e).map((l) => (l.storedSeq === 3 ? { ...l, keysMatch: false } : l)), { seq: 3, kind: 'modified' }],
    ['a body that claims a later seq', (e) => stored(e).map((l) => (l.storedSeq === 5 ? { ...l, event: { ...l.event, seq: 9 } } : l)), { seq: 5, kind: 'modified' }],
    ['a deleted event', (e) => stored(e.filter((x) => x.seq !== 6)), { seq: 6, kind: 'deleted' }],
    ['three deleted events', (e) => stored(e.filter((x) => x.seq < 3 || x.seq > 5)), { seq: 3, kind: 'deleted' }],
    ['a copy of an earlier event under a later key', (e) => [...stored(e.slice(0, 4)), { storedSeq: 5, event: e[1]!, keysMatch: true }, ...stored(e.slice(5))], { seq: 5, kind: 'inserted' }],
    ['an item under a key that is not a seq', (e) => [...stored(e.slice(0, 3)), { storedSeq: Number.NaN, event: e[2]!, keysMatch: true }, ...stored(e.slice(3))], { seq: 4, kind: 'inserted' }],
    ['a rewritten and re-hashed event', (e) => stored(e.map((x) => (x.seq === 7 ? chainEvent({ ...entryOf(x), actorId: 'mallory' }, 7, x.prevHash) : x))), { seq: 8, kind: 'inserted' }],
  ])('names %s', (_name, tamper, expected) => {
    const events = chain(10);
    expect(walk(tamper(events), head(events))).toMatchObject(expected);
  });

  it('names an event inserted mid-chain by renumbering what follows', () => {
    const events = chain(6);
    const forged = chainEvent({ ...entryOf(events[2]!), actorId: 'mallory' }, 3, events[1]!.hash);
    const shifted = events.slice(2).map((e) => chainEvent(entryOf(e), e.seq + 1, e.prevHash));
    const links = stored([events[0]!, events[1]!, forged, ...shifted]);
    expect(walk(links, head(shifted))).toMatchObject({ seq: 3, kind: 'inserted' });
  });

  it('uses the chain head: a truncated tail is deleted, an event past the head is inserted, a swapped last event is modified', () => {
    const events = chain(5);
    expect(walk(stored(events.slice(0, 3)), head(events))).toMatchObject({ seq: 4, kind: 'deleted' });
    const extra = chainEvent(entryOf(events[4]!), 6, events[4]!.hash);
    expect(walk(stored([...events, extra]), head(events))).toMatchObject({ seq: 6, kind: 'inserted' });
    expect(walk(stored(events), undefined)).toMatchObject({ seq: 1, kind: 'inserted' });
    expect(walk(stored(events), { seq: 5, hash: 'f'.repeat(64) })).toMatchObject({ seq: 5, kind: 'modified' });
  });

  it('does not flag events appended while it walked (below the head read after)', () => {
    const events = chain(8);
    expect(walk(stored(events), head(events.slice(0, 5)), head(events))).toBeUndefined();
  });

  it('detects any single change, deletion or insertion anywhere in any chain', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.nat(), fc.constantFrom('modify', 'delete', 'insert-after-head', 'rehash'), (n, pick, kind) => {
        const events = chain(n);
        const i = pick % n;
        let links = stored(events);
        if (kind === 'modify') links[i] = { ...links[i]!, event: { ...events[i]!, outcome: 'failure' } };
        if (kind === 'delete') links = links.filter((_, j) => j !== i);
        if (kind === 'insert-after-head') links.push({ storedSeq: n + 1, event: chainEvent(entryOf(events[i]!), n + 1, events[n - 1]!.hash), keysMatch: true });
        if (kind === 'rehash') links[i] = { ...links[i]!, event: chainEvent({ ...entryOf(events[i]!), outcome: 'failure' }, i + 1, events[i]!.prevHash) };
        const broken = walk(links, head(events));
        // A re-hashed last event can only be caught by the head; anywhere else by the next link.
        expect(broken).toBeDefined();
        const expectedSeq = kind === 'insert-after-head' ? n + 1 : kind === 'rehash' && i < n - 1 ? i + 2 : i + 1;
        expect(broken!.seq).toBe(expectedSeq);
      }),
      { numRuns: 300 },
    );
  });
});
