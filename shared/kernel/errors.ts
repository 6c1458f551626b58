// One base error with `cause`; domain errors know nothing about HTTP. The edge
// (shared/http/error-mapper.ts) is the only place that turns them into statuses.

/**
 * Every error code Latchkey throws, as one union. The kernel declares its own
 * here; each feature adds its codes next to its errors, in its errors.ts, with
 * `declare module '../kernel/errors.ts' { interface ErrorCodes { … } }` (the value
 * names the owner). The kernel imports no feature, yet the constructor below
 * accepts no code that nobody declared, and the mapper's table
 * `satisfies Record<ErrorCode, number>`: a code added without a status fails tsc.
 */
export interface ErrorCodes {
  validation_failed: 'kernel';
  unauthenticated: 'kernel';
  forbidden: 'kernel';
  not_found: 'kernel';
  invalid_transition: 'kernel';
  conflict: 'kernel';
  already_exists: 'kernel';
  policy_violation: 'kernel';
  already_decided: 'kernel';
  corrupt_record: 'kernel';
}
export type ErrorCode = keyof ErrorCodes;

export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
  }
}

/** Input that is well-formed JSON but not what the route accepts. */
export class ValidationError extends LatchkeyError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', message, { details });
  }
}

export class UnauthenticatedError extends LatchkeyError {
  constructor(message = 'The caller could not be authenticated.') {
    super('unauthenticated', message);
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends LatchkeyError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Also what a caller gets for another tenant's things: they do not exist for it. */
export class NotFoundError extends LatchkeyError {
  constructor(what: string) {
    super('not_found', `${what} was not found.`);
  }
}

/** The thing exists but is not in a state that allows the change. */
export class InvalidTransitionError extends LatchkeyError {
  constructor(from: string, action: string) {
    super('invalid_transition', `A ${from} request cannot be ${action}.`, { details: { status: from, action } });
  }
}

/**
 * Another writer changed the item first; the caller lost the race and nothing was written.
 * `current` is what won, as the store read it back with the failed condition (ALL_OLD):
 * whole, for the code that handles the conflict, and never put in a body, since it may
 * hold a tenant's secrets. Only its version goes to the caller, so it can say what changed.
 */
export class ConcurrentModificationError<T = unknown> extends LatchkeyError {
  readonly current?: T;

  constructor(what: string, options?: { cause?: unknown; current?: T; currentVersion?: number }) {
    super('conflict', `${what} was changed by someone else at the same time; reload and try again.`, {
      cause: options?.cause,
      ...(options?.currentVersion !== undefined ? { details: { currentVersion: options.currentVersion } } : {}),
    });
    if (options?.current !== undefined) this.current = options.current;
  }
}

/**
 * `existingId` names the item that was there first (ALL_OLD), for the code that
 * handles it; it stays out of the body, as the caller only learns "taken".
 */
export class AlreadyExistsError extends LatchkeyError {
  readonly existingId?: string;

  constructor(what: string, options?: { existingId?: string }) {
    super('already_exists', `${what} already exists.`);
    if (options?.existingId !== undefined) this.existingId = options.existingId;
  }
}

/** The request is valid but breaks the target's policy (duration, reason, database user). */
export class PolicyViolationError extends LatchkeyError {
  constructor(message: string, details?: unknown) {
    super('policy_violation', message, { details });
  }
}

/** The same approver tried to count twice toward a quorum. */
export class AlreadyDecidedError extends LatchkeyError {
  constructor() {
    super('already_decided', 'You have already approved this; approvals must come from distinct approvers.');
  }
}

/**
 * A stored item is not what its model says (an unknown status, a required field
 * missing): data corruption, not the caller's doing. The edge answers a generic
 * 500 and logs `details`, which name the item and the attributes, never a value.
 */
export class CorruptRecordError extends LatchkeyError {
  constructor(item: string, key: Record<string, string>, attributes: string[]) {
    super('corrupt_record', `The stored ${item} is not valid: ${attributes.join(', ')}.`, { details: { item, key, attributes } });
  }
}
