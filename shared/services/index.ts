// The public entry of services: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './dto.ts';
export * from './ports.ts';
export * from './service.ts';
export * from './use-cases.ts';
