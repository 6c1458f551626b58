import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { chainOf } from './chains.ts';
import { digestAlgorithms, digestMessage, type SignedDigest } from './digest.ts';
import { genesisHash, type LogEvent } from './events.ts';
import { recomputeHash } from './verify-chain.ts';

// Offline verification of a JSON Lines export (`GET /audit/events/export?format=ndjson`, every page
// appended): each event re-hashed and linked along its chain, the lines in the export's order, and
// every signed digest checked against the public key and against the events it covers. It reads the
// file alone: nothing here calls Latchkey or AWS (the CLI's `latchkey audit verify --file`).

export type ExportFindingKind = 'malformed' | 'modified' | 'deleted' | 'inserted' | 'reordered' | 'signature' | 'digest-sequence' | 'rewritten';
/** The first broken link: the line (1-based) where the file stops being what was written and signed. */
export type ExportFinding = { line: number; kind: ExportFindingKind; chain?: number; seq?: number; message: string };

export type ExportReport = {
  ok: boolean;
  tenantId?: string;
  events: number;
  chains: number;
  digests: number;
  /** False without a public key: the digests' heads were compared, their signatures were not checked. */
  signaturesChecked: boolean;
  /** The newest digest's time; events after it are chained but not yet signed. */
  signedThrough?: string;
  unsignedEvents: number;
  finding?: ExportFinding;
};

type ChainState = { firstSeq: number; lastSeq: number; lastHash: string; hashes: Map<number, string> };

const orderKey = (e: LogEvent, chain: number) => `${e.at}#${String(chain).padStart(2, '0')}#${String(e.seq).padStart(12, '0')}`;

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isDigest = (value: unknown): value is SignedDigest => typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'digest';
const isEvent = (value: unknown): value is LogEvent =>
  typeof value === 'object' && value !== null && typeof (value as LogEvent).seq === 'number' && typeof (value as LogEvent).hash === 'string' && typeof (value as LogEvent).prevHash === 'string';

/**
 * Verifies an export, oldest or newest first (the export's `order`): events are walked oldest first
 * whichever it is, and a finding names the line as it is in the file. Digests come after every event,
 * oldest first, each linked to the one above it.
 */
export function verifyExport(text: string, publicKey?: KeyObject | string): ExportReport {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const chains = new Map<number, ChainState>();
  const report: ExportReport = { ok: true, events: 0, chains: 0, digests: 0, signaturesChecked: key !== undefined, unsignedEvents: 0 };
  const fail = (finding: ExportFinding): ExportReport => ({ ...report, ok: false, chains: chains.size, finding });

  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  type Line = { line: number; event: LogEvent; chain: number; order: string };
  const events: Line[] = [];
  const checkpoints: Line[] = [];
  const digests: Array<{ line: number; digest: SignedDigest }> = [];
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const value = parseLine(raw);
    if (isDigest(value)) {
      digests.push({ line, digest: value });
      continue;
    }
    if (!isEvent(value)) return fail({ line, kind: 'malformed', message: `Line ${line} is neither a grant-log event nor a signed digest.` });
    if (digests.length > 0) return fail({ line, kind: 'reordered', message: `Line ${line} is an event after the digests: the export puts every event first.` });
    const chain = chainOf(value);
    const entry = { line, event: value, chain, order: orderKey(value, chain) };
    if (value.action === 'log.checkpoint') checkpoints.push(entry);
    else if (checkpoints.length > 0) return fail({ line, chain, seq: value.seq, kind: 'reordered', message: `Line ${line} is an event after the checkpoints: the export puts them after every other event.` });
    else events.push(entry);
  }
  // Each part is in the export's order, newest or oldest first; a line out of it was moved.
  const sample = events.length > 1 ? events : checkpoints;
  const newestFirst = sample.length > 1 && sample[0]!.order > sample.at(-1)!.order;
  let moved: ExportFinding | undefined;
  for (const part of [events, checkpoints]) {
    const i = part.findIndex((e, i) => i > 0 && (newestFirst ? e.order > part[i - 1]!.order : e.order < part[i - 1]!.order));
    if (i > 0 && (!moved || part[i - 1]!.line < moved.line)) {
      // The pair that breaks the order; named by its first line (which of the two moved, the file cannot tell).
      const [{ line, chain, event }, next] = [part[i - 1]!, part[i]!];
      moved = { line, chain, seq: event.seq, kind: 'reordered', message: `Lines ${line} and ${next.line} are out of the export's time order (${event.at} before ${next.event.at}): lines were reordered.` };
    }
  }
  // Walked oldest first, checkpoints in their places: every chain from its first event in the file.
  const walk = [...events, ...checkpoints].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.line - b.line));
  const walked = walkChains(walk, chains, report);
  const first = [walked, moved].filter((f): f is ExportFinding => f !== undefined).sort((a, b) => a.line - b.line)[0];
  if (first) return fail(first);
  report.chains = chains.size;

  let before: SignedDigest | undefined;
  for (const { line, digest } of digests) {
    const finding = checkDigest(digest, line, { key, chains, before, tenantId: report.tenantId });
    if (finding) return fail(finding);
    report.tenantId ??= digest.tenantId;
    before = digest;
    report.digests += 1;
  }
  if (before) {
    report.signedThrough = before.at;
    for (const head of before.heads) {
      const state = chains.get(head.chain);
      if (state && state.lastSeq > head.seq) report.unsignedEvents += state.lastSeq - head.seq;
    }
  } else {
    report.unsignedEvents = report.events;
  }
  return report;
}

/** Every chain re-hashed and linked, in time order; the first broken link, if any. */
function walkChains(walk: Array<{ line: number; event: LogEvent; chain: number }>, chains: Map<number, ChainState>, report: ExportReport): ExportFinding | undefined {
  for (const { line, event, chain } of walk) {
    const where = { line, chain, seq: event.seq };
    report.tenantId ??= event.tenantId;
    if (event.tenantId !== report.tenantId) return { ...where, kind: 'inserted', message: `Line ${line} is an event of tenant ${event.tenantId} in an export of ${report.tenantId}.` };
    if (recomputeHash(event) !== event.hash) {
      return { ...where, kind: 'modified', message: `Line ${line} (chain ${chain}, seq ${event.seq}) does not hash to its stored hash: it was edited after it was written.` };
    }
    const state = chains.get(chain);
    if (!state) {
      // Every chain from its start: a time-ranged export cannot be verified this way, and a missing start is a deletion.
      if (event.seq !== 1) {
        const gap = event.seq === 2 ? 'seq 1 is' : `seqs 1–${event.seq - 1} are`;
        return { ...where, seq: 1, kind: 'deleted', message: `Line ${line}: chain ${chain} starts at seq ${event.seq}: ${gap} missing (deleted), or the export is not of the whole log.` };
      }
      if (event.prevHash !== genesisHash) return { ...where, kind: 'inserted', message: `Line ${line} is seq 1 of chain ${chain} but does not start from the genesis hash.` };
      chains.set(chain, { firstSeq: event.seq, lastSeq: event.seq, lastHash: event.hash, hashes: new Map([[event.seq, event.hash]]) });
    } else {
      const expected = state.lastSeq + 1;
      if (event.seq > expected) {
        const gap = event.seq - 1 === expected ? `seq ${expected} is` : `seqs ${expected}–${event.seq - 1} are`;
        return { ...where, seq: expected, kind: 'deleted', message: `Line ${line}: chain ${chain} skips from seq ${state.lastSeq} to ${event.seq}: ${gap} missing (deleted).` };
      }
      if (event.seq < expected) {
        return { ...where, kind: 'reordered', message: `Line ${line}: chain ${chain} seq ${event.seq} comes after seq ${state.lastSeq}: lines were reordered or repeated.` };
      }
      if (event.prevHash !== state.lastHash) {
        return { ...where, kind: 'inserted', message: `Line ${line} (chain ${chain}, seq ${event.seq}) does not link to seq ${state.lastSeq}: it was inserted, or seq ${state.lastSeq} was replaced.` };
      }
      Object.assign(state, { lastSeq: event.seq, lastHash: event.hash });
      state.hashes.set(event.seq, event.hash);
    }
    report.events += 1;
  }
  return undefined;
}

function checkDigest(
  digest: SignedDigest,
  line: number,
  ctx: { key: KeyObject | undefined; chains: Map<number, ChainState>; before: SignedDigest | undefined; tenantId: string | undefined },
): ExportFinding | undefined {
  const { key, chains, before } = ctx;
  if (ctx.tenantId !== undefined && digest.tenantId !== ctx.tenantId) return { line, kind: 'inserted', message: `Line ${line} is a digest of tenant ${digest.tenantId} in an export of ${ctx.tenantId}.` };
  if (key) {
    const { signature, ...signed } = digest;
    const algorithm = digestAlgorithms.includes(digest.algorithm) ? digest.algorithm : undefined;
    const valid =
      algorithm !== undefined &&
      typeof signature === 'string' &&
      verify('sha256', digestMessage(signed), algorithm === 'ECDSA_SHA_256' ? { key, dsaEncoding: 'der' } : key, Buffer.from(signature, 'base64'));
    if (!valid) return { line, kind: 'signature', message: `Line ${line}: the digest of ${digest.at} is not signed by this public key (key ${digest.keyId}): it was forged or changed.` };
  }
  if (before && (digest.previous !== before.signature || digest.at < before.at)) {
    return { line, kind: 'digest-sequence', message: `Line ${line}: the digest of ${digest.at} does not follow the digest of ${before.at} above it: digests were removed, swapped or reordered.` };
  }
  for (const head of digest.heads) {
    const state = chains.get(head.chain);
    if (head.seq === 0) continue;
    const where = { line, chain: head.chain, seq: head.seq };
    if (!state || head.seq > state.lastSeq) {
      return { ...where, kind: 'deleted', message: `Line ${line}: the digest of ${digest.at} signed chain ${head.chain} up to seq ${head.seq}, but the export's chain ${head.chain} ends at seq ${state?.lastSeq ?? 0}: events were deleted.` };
    }
    if (state.hashes.get(head.seq) !== head.hash) {
      return { ...where, kind: 'rewritten', message: `Line ${line}: chain ${head.chain} seq ${head.seq} is not the event signed at ${digest.at}: the chain was rewritten at or before it.` };
    }
  }
  return undefined;
}
