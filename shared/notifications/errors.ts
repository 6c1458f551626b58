import { LatchkeyError } from '../kernel/errors.ts';

// Errors of notifications; shared/http/error-mapper.ts maps the codes.

declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    slack_signature_invalid: 'notifications';
  }
}

/** The interactive payload is not provably Slack's (signature, time window, replay): nothing was read from it. */
export class SlackSignatureError extends LatchkeyError {
  constructor(readonly reason: 'bad_signature' | 'stale_timestamp' | 'replayed') {
    super('slack_signature_invalid', 'The request is not a valid signed Slack request.', { details: { reason } });
  }
}
