import { LatchkeyError } from '../kernel/errors.ts';

// Errors of credential minting. Like errors.ts they know nothing of HTTP; the
// status each code maps to is the edge's business (shared/http/error-mapper.ts).

// Minting's part of the one ErrorCode union (see ErrorCodes in the kernel).
declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    grant_not_active: 'minting';
    integration_not_verified: 'minting';
    no_bastion: 'minting';
    grant_outside_setup: 'minting';
    upstream_failed: 'minting';
    packed_policy_too_large: 'minting';
    issuance_not_recorded: 'minting';
  }
}

/** The request is not an approved grant whose window is still open (pending, denied, revoked, ended, past its window). */
export class GrantNotActiveError extends LatchkeyError {
  constructor(status: string, windowEnd?: string) {
    const why = status === 'approved' ? `its window ended at ${windowEnd}` : `it is ${status}`;
    super('grant_not_active', `Credentials are issued only for an approved grant whose window is open; ${why}.`, {
      details: { status, ...(windowEnd ? { windowEnd } : {}) },
    });
  }
}

/** The target is not linked to an integration whose role Latchkey has verified. */
export class IntegrationNotVerifiedError extends LatchkeyError {
  constructor(why: 'not_linked' | 'not_found' | 'pending' | 'failed' | 'account_mismatch') {
    const messages = {
      not_linked: 'The target is not linked to an AWS account integration.',
      not_found: "The target's integration does not exist.",
      pending: "The target's integration has not been verified yet.",
      failed: "The target's integration failed verification; fix the role and verify it again.",
      account_mismatch: "The target's AWS account is not the account of its integration.",
    } as const;
    super('integration_not_verified', messages[why], { details: { reason: why } });
  }
}

/** An SSM tunnel was asked for a target that has no bastion instance. */
export class NoBastionError extends LatchkeyError {
  constructor() {
    super('no_bastion', 'The target has no SSM bastion instance, so no port-forwarding session can be started.');
  }
}

/**
 * The grant's session policy asks for more than the permission policy the customer was last handed
 * (a database user or bastion added since, or no setup handed out at all): AssumeRole would succeed and
 * the connection fail, so nothing is minted. Names the excess (ARNs of the tenant's own target), never a secret.
 */
export class GrantOutsideSetupError extends LatchkeyError {
  constructor(excess: readonly { action: string; resource: string }[], setupHandedOut: boolean) {
    const fix = "fetch the integration's setup again and have the customer apply it, then try again";
    super(
      'grant_outside_setup',
      setupHandedOut
        ? `The role the customer installed does not allow ${excess.map((e) => `${e.action} on ${e.resource}`).join(', ')}; ${fix}.`
        : `No setup was ever handed out for the target's integration, so nothing shows its role allows this grant; ${fix}.`,
      { details: { excess: excess.map(({ action, resource }) => ({ action, resource })), setupHandedOut } },
    );
  }
}

/**
 * AWS refused or failed a call made on the caller's behalf. Carries the AWS
 * error code only: AWS messages can quote ARNs, tags and policy text.
 */
export class UpstreamError extends LatchkeyError {
  constructor(service: string, operation: string, awsCode: string) {
    super('upstream_failed', `AWS ${service} ${operation} failed: ${awsCode}.`, { details: { service, operation, awsCode } });
  }
}

/** STS reported the session policy and tags near its packed-size limit; issuing would soon break outright. */
export class PackedPolicyTooLargeError extends LatchkeyError {
  constructor(percent: number, limit: number) {
    super('packed_policy_too_large', `The session policy and tags use ${percent}% of the STS packed-size budget (limit ${limit}%).`, {
      details: { packedPolicySize: percent, limit },
    });
  }
}

/** Credentials were minted but their log event could not be written, so none were handed out. */
export class IssuanceNotRecordedError extends LatchkeyError {
  constructor(options?: { cause?: unknown }) {
    super('issuance_not_recorded', 'The issuance could not be recorded in the grant log, so no credentials were issued; try again.', options);
  }
}

/**
 * What adapters throw when an AWS call fails: the service, the operation and
 * the AWS error code, nothing else (no message, no request, no cause). Not a
 * LatchkeyError: if it ever reached the edge it would become a bare 500.
 */
export class AwsCallError extends Error {
  constructor(
    readonly service: 'sts' | 'ssm' | 'rds-db',
    readonly operation: string,
    readonly awsCode: string,
    readonly awsRequestId?: string,
  ) {
    super(`${service} ${operation} failed: ${awsCode}`);
    this.name = 'AwsCallError';
  }
}

/**
 * The database could not be reached, or refused the control user, while ending a grant's sessions. `reason` is a
 * short code (a socket error code, a SQLSTATE or `auth_failed`), never the server's full text or the token.
 */
export class DatabaseUnreachableError extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`database control connection failed: ${reason}`, options);
    this.name = 'DatabaseUnreachableError';
  }
}
