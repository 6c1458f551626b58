// The public entry of iam: other features import from here, never from its files (.dependency-cruiser.cjs).
// Every ARN and IAM document Latchkey writes is built in this folder, from the builders in arns.ts.
export * from './arns.ts';
export * from './errors.ts';
export * from './grant-coverage.ts';
export * from './permission-policy.ts';
export * from './policy-document.ts';
export * from './policy-size.ts';
export * from './policy-subset.ts';
export * from './session-naming.ts';
export * from './session-policy.ts';
export * from './trust-policy.ts';
