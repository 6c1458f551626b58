import { chainEvent, genesisHash, type LogEvent } from './events.ts';

// The pure half of verify: fed one chain's stored events in key order, it names
// the first link that does not hold. The other half (shared/audit/verify-log.ts)
// reads the store, the chains' heads and the last checkpoint.

export type BrokenLinkKind = 'modified' | 'deleted' | 'inserted';
export type BrokenLink = { seq: number; kind: BrokenLinkKind; message: string };
export type ChainAnchor = { seq: number; hash: string };
/** Structurally the port's StoredLink; repeated so the domain imports no port. */
export type WalkedEvent = { storedSeq: number; event: LogEvent; keysMatch: boolean };

export const chainStart: ChainAnchor = { seq: 0, hash: genesisHash };

/** Recomputes an event's hash from its own fields: what `chainEvent` wrote, if nothing changed since. */
export function recomputeHash(event: LogEvent): string {
  const { seq, prevHash, hash: _stored, ...entry } = event;
  return chainEvent(entry, seq, prevHash).hash;
}

const recentWindow = 256;

export class ChainWalker {
  private expectedSeq: number;
  private prevHash: string;
  /** hash → seq of recently walked events: tells "skips back over an inserted event" from "links to nothing". */
  private readonly recent = new Map<string, number>();
  private headHash: string | undefined;
  checked = 0;

  private checkpointHash: string | undefined;

  constructor(
    anchor: ChainAnchor,
    /** The head read before the walk: every seq up to it must exist, and its hash must be the head's. */
    private readonly headBefore?: ChainAnchor,
    /** Where the last checkpoint saw this chain's head: the walk must pass it, with that hash. */
    private readonly checkpoint?: ChainAnchor,
  ) {
    this.expectedSeq = anchor.seq + 1;
    this.prevHash = anchor.hash;
    this.remember(anchor.hash, anchor.seq);
  }

  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  /** The first broken link at this stored event, or undefined when it extends the chain. */
  check({ storedSeq, event, keysMatch }: WalkedEvent): BrokenLink | undefined {
    const x = this.expectedSeq;
    if (!Number.isSafeInteger(storedSeq)) {
      return { seq: x, kind: 'inserted', message: `An item whose key is not an event seq sits after seq ${x - 1}.` };
    }
    if (storedSeq > x) {
      const missing = storedSeq - 1 === x ? `seq ${x} is` : `seqs ${x}–${storedSeq - 1} are`;
      return { seq: x, kind: 'deleted', message: `The chain skips from seq ${x - 1} to ${storedSeq}: ${missing} missing.` };
    }
    if (event.seq !== storedSeq) {
      return event.seq < storedSeq
        ? { seq: storedSeq, kind: 'inserted', message: `The item stored at seq ${storedSeq} repeats seq ${event.seq}.` }
        : { seq: storedSeq, kind: 'modified', message: `The item stored at seq ${storedSeq} claims seq ${event.seq}.` };
    }
    if (recomputeHash(event) !== event.hash) {
      return { seq: x, kind: 'modified', message: `Seq ${x} does not hash to its stored hash: its content was changed after it was written.` };
    }
    if (!keysMatch) {
      return { seq: x, kind: 'modified', message: `Seq ${x} is indexed under keys its content does not imply: it was re-keyed after it was written.` };
    }
    if (event.prevHash !== this.prevHash) {
      const linked = this.recent.get(event.prevHash);
      if (linked !== undefined && linked < x - 1) {
        return { seq: linked + 1, kind: 'inserted', message: `Seq ${x} links to seq ${linked}, so seq ${linked + 1}${linked + 1 < x - 1 ? `–${x - 1}` : ''} was inserted.` };
      }
      return { seq: x, kind: 'inserted', message: `Seq ${x} does not link to seq ${x - 1}: it was inserted or rewritten, or seq ${x - 1} was replaced.` };
    }
    if (this.headBefore && x === this.headBefore.seq) this.headHash = event.hash;
    if (this.checkpoint && x === this.checkpoint.seq) this.checkpointHash = event.hash;
    this.prevHash = event.hash;
    this.remember(event.hash, x);
    this.expectedSeq = x + 1;
    this.checked += 1;
    return undefined;
  }

  /**
   * After a walk that reached the end of the stored events: the head read before
   * must be covered (no tail deleted, its hash the one walked), and nothing may
   * sit beyond the head read after (events appended mid-walk are below it).
   */
  finish(headAfter: ChainAnchor | undefined): BrokenLink | undefined {
    const last = this.lastSeq;
    if (this.headBefore && last < this.headBefore.seq) {
      return { seq: last + 1, kind: 'deleted', message: `The chain head is at seq ${this.headBefore.seq} but the events end at seq ${last}.` };
    }
    if (this.headBefore && this.headBefore.seq > 0 && this.headHash !== undefined && this.headHash !== this.headBefore.hash) {
      return { seq: this.headBefore.seq, kind: 'modified', message: `Seq ${this.headBefore.seq} is not the event the chain head recorded.` };
    }
    if (this.checkpoint && this.checkpoint.seq > 0 && last < this.checkpoint.seq) {
      return { seq: last + 1, kind: 'deleted', message: `The last checkpoint saw this chain at seq ${this.checkpoint.seq} but its events end at seq ${last}: its tail was cut off.` };
    }
    if (this.checkpoint && this.checkpointHash !== undefined && this.checkpointHash !== this.checkpoint.hash) {
      return { seq: this.checkpoint.seq, kind: 'modified', message: `Seq ${this.checkpoint.seq} is not the event the last checkpoint recorded.` };
    }
    const limit = headAfter?.seq ?? 0;
    if (last > limit) {
      return { seq: limit + 1, kind: 'inserted', message: `Events run to seq ${last} but the chain head is at seq ${limit}.` };
    }
    return undefined;
  }

  private remember(hash: string, seq: number): void {
    this.recent.set(hash, seq);
    if (this.recent.size > recentWindow) this.recent.delete(this.recent.keys().next().value as string);
  }
}
