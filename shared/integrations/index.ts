// The public entry of integrations: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './deps.ts';
export * from './dto.ts';
export * from './errors.ts';
export * from './get-setup.ts';
export * from './integration.ts';
export * from './ports.ts';
export * from './role-verification.ts';
export * from './schemas.ts';
export * from './setup-cloudformation.ts';
export * from './setup-sql.ts';
export * from './setup-terraform.ts';
export * from './setup.ts';
export * from './use-cases.ts';
export * from './verify-integration.ts';
