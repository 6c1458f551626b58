// Not a LatchkeyError on purpose: a setup whose own session policies it would
// not cover is a bug in the builders, never something the caller can fix, so
// it must reach the edge as a bare 500.

/** The permission policy being emitted would not cover a session policy its grants imply. */
export class SetupWouldNotCoverGrantsError extends Error {
  constructor(readonly excess: readonly { action: string; resource: string }[]) {
    super(`The permission policy would not cover ${excess.map((e) => `${e.action} on ${e.resource}`).join(', ')}`);
    this.name = 'SetupWouldNotCoverGrantsError';
  }
}
