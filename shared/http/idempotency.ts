import * as z from 'zod';
import { LatchkeyError } from '../kernel/errors.ts';
import type { Principal } from '../kernel/principal.ts';

// Idempotent retries (docs/api.md, "Idempotent retries"): a caller that sends `Idempotency-Key` on a
// POST that changes state gets, for the same key and the same call, the first success again instead of
// a second effect. The key is scoped to the tenant and the caller: one caller can never read another's
// stored answer, whatever key it sends. Only successes are stored: a refusal changed nothing, so its
// retry simply runs again. Credentials are never stored (their route takes no key), because an answer
// that holds a token must not outlive the call that minted it.

declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    idempotency_key_reused: 'http';
    idempotency_in_progress: 'http';
  }
}

/** The header's value: 1 to 255 printable ASCII characters (a UUID is the usual choice). */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7E]{1,255}$/, 'must be 1 to 255 printable ASCII characters, no spaces')
  .meta({ description: 'Makes the call safe to retry: the same key with the same call replays the first success (status and body) and changes nothing more. Scoped to the caller; kept for 24 hours.' });

/** The header parameter as the OpenAPI document names it (headers arrive lower-cased after the normaliser). */
export const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });

/** The call a key stands for: a retry must repeat all of it, or it is a different call under a reused key. */
export type IdempotentCall = { route: string; path: unknown; body: unknown };

/** What was answered the first time, and whether this answer is that one replayed. */
export type StoredReply = { status: number; body: unknown };

/** Port: runs `execute` at most once per (tenant, caller, key) while the key is kept; the adapter is Powertools Idempotency. */
export interface IdempotencyStore {
  run(scope: { principal: Principal; key: string; remainingMs?: number }, call: IdempotentCall, execute: () => Promise<StoredReply>): Promise<StoredReply & { replayed: boolean }>;
}

export class IdempotencyKeyReusedError extends LatchkeyError {
  constructor() {
    super('idempotency_key_reused', 'This Idempotency-Key was already used for a different call (another route, request or body). Use a new key for a new call.');
  }
}

export class IdempotencyInProgressError extends LatchkeyError {
  constructor() {
    super('idempotency_in_progress', 'A call with this Idempotency-Key is still running. Retry it in a moment with the same key to get its answer.');
  }
}
