// The public entry of audit: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './access-summary.ts';
export * from './export-events.ts';
export * from './export-format.ts';
export * from './filter.ts';
export * from './ports.ts';
export * from './query-events.ts';
export * from './schemas.ts';
export * from './verify-log.ts';
