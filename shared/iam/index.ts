// The public entry of iam: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './arns.ts';
export * from './customer-policies.ts';
