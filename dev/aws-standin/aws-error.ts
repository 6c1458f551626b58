// One error type for both wire protocols: the handlers throw it, and the
// protocol layer renders it as STS query XML or SSM JSON 1.1 with the status
// AWS uses, so the SDK on the other end maps it to the same exception class.
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    // STS distinguishes caller faults ("Sender") from its own ("Receiver").
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** AWS's wording for an STS/SSM "not authorized" refusal. */
export function notAuthorizedMessage(callerArn: string, action: string, resource: string, because?: string): string {
  const base = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`;
  return because ? `${base} ${because}` : base;
}
