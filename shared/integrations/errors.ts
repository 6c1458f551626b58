import { LatchkeyError } from '../kernel/errors.ts';

// Errors of linking customer accounts. Like errors.ts they know nothing of HTTP;
// shared/http/error-mapper.ts gives each code its status.

// Integrations' part of the one ErrorCode union (see ErrorCodes in the kernel).
declare module '../kernel/errors.ts' {
  interface ErrorCodes {
    role_not_registered: 'integrations';
    not_configured: 'integrations';
    setup_too_large: 'integrations';
  }
}

/** Verification needs a role ARN to assume; none was registered yet. */
export class RoleNotRegisteredError extends LatchkeyError {
  constructor() {
    super('role_not_registered', 'Register the role ARN the customer created (PUT /integrations/{integrationId}/role) before verifying.');
  }
}

/** The deployment lacks a setting the setup needs. Names the setting, never a value. */
export class SetupNotConfiguredError extends LatchkeyError {
  constructor(setting: 'BROKER_ROLE_ARN') {
    super('not_configured', `This Latchkey deployment has no ${setting}: it cannot name its broker role in a trust policy. Set ${setting} to the ARN of the broker role and redeploy.`, {
      details: { setting },
    });
  }
}

/** The generated policies would not fit IAM's size limits. */
export class SetupTooLargeError extends LatchkeyError {
  constructor(which: 'trustPolicy' | 'permissionPolicy', characters: number, limit: number) {
    super(
      'setup_too_large',
      which === 'permissionPolicy'
        ? `The permission policy would have ${characters} characters; IAM allows ${limit} for a role's inline policies. Move some targets or database users to another integration.`
        : `The trust policy would have ${characters} characters; IAM allows ${limit} by default.`,
      { details: { policy: which, characters, limit } },
    );
  }
}

/** The external ID drawn was already taken (160 random bits: this is the uniqueness guard, not an expected path). */
export class ExternalIdTakenError extends LatchkeyError {
  constructor() {
    super('conflict', 'An external ID collided; try again.');
  }
}
