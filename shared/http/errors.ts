import { LatchkeyError } from '../kernel/errors.ts';

// The edge's own refusals: what the request looked like on the wire, before any use case saw it.
declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    payload_too_large: 'http';
    malformed_json: 'http';
    unsupported_media_type: 'http';
  }
}

export class PayloadTooLargeError extends LatchkeyError {
  constructor(maxBytes: number) {
    super('payload_too_large', `The body is larger than ${maxBytes} bytes.`);
  }
}

/** Never echoes the body: it may hold a reason or a secret the caller pasted. */
export class MalformedJsonError extends LatchkeyError {
  constructor(options?: { cause?: unknown }) {
    super('malformed_json', 'The body is not valid JSON.', options);
  }
}

export class UnsupportedMediaTypeError extends LatchkeyError {
  constructor(options?: { cause?: unknown }) {
    super('unsupported_media_type', 'Send the body as application/json.', options);
  }
}
