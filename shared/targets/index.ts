// The public entry of targets: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './dto.ts';
export * from './errors.ts';
export * from './ports.ts';
export * from './schemas.ts';
export * from './step-up.ts';
export * from './ticket-pattern.ts';
export * from './target.ts';
export * from './use-cases.ts';
export * from './change-target.ts';
