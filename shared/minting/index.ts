// The public entry of minting: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './connection-info.ts';
export * from './deps.ts';
export * from './errors.ts';
export * from './issue-credentials.ts';
export * from './minting.ts';
export * from './ports.ts';
export * from './revoke-grant.ts';
export * from './schemas.ts';
export * from './terminate-database-sessions.ts';
export * from './terminate-grant-sessions.ts';
