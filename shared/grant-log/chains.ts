import { createHash } from 'node:crypto';
import type { LogEntry } from './events.ts';

// A tenant's grant log is CHAIN_COUNT hash chains, not one: every change
// appends to the chain of the thing it is about, so concurrent changes to
// different requests advance different heads and never contend (docs/grant-log.md,
// "Chains"). Everything that happens to one request is in one chain, in order.

export const CHAIN_COUNT = 32;

/** What an entry is about, which names its chain: the request, else the target, else whoever acted. */
function chainKeyOf(entry: Pick<LogEntry, 'requestId' | 'targetId' | 'actorId'>): string {
  return entry.requestId ? `req:${entry.requestId}` : entry.targetId ? `tgt:${entry.targetId}` : `act:${entry.actorId}`;
}

/** The chain an entry belongs to, derived from its content alone, so verify can check it sits where it should. */
export function chainOf(entry: Pick<LogEntry, 'requestId' | 'targetId' | 'actorId'>): number {
  return createHash('sha256').update(chainKeyOf(entry)).digest().readUInt32BE(0) % CHAIN_COUNT;
}

/** The chain a request's events go to: known from its id before anything is read. */
export const chainOfRequest = (requestId: string): number => chainOf({ requestId, actorId: '' });

/** Every chain's head at one moment, recorded in the log itself so a tail cut off with its head moved back shows. */
export type ChainHeads = Array<{ chain: number; seq: number; hash: string }>;

/** A checkpoint is written after every CHECKPOINT_EVERY-th event of a chain. */
export const CHECKPOINT_EVERY = 16;
