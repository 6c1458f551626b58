// One base error with `cause`; domain errors know nothing about HTTP. The edge
// (shared/http/error-mapper.ts) is the only place that turns them into statuses.
export class LatchkeyError extends Error {
  readonly code: string;
  readonly details?: unknown;

  constructor(code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
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

/** Another writer changed the item first; the caller lost the race and nothing was written. */
export class ConcurrentModificationError extends LatchkeyError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('conflict', `${what} was changed by someone else at the same time; reload and try again.`, options);
  }
}

export class AlreadyExistsError extends LatchkeyError {
  constructor(what: string) {
    super('already_exists', `${what} already exists.`);
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
