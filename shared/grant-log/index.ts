// The public entry of grant-log: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './digest.ts';
export * from './events.ts';
export * from './verify-chain.ts';
export * from './chains.ts';
export * from './verify-export.ts';
