// The public entry of requests: other features import from here, never from its files (.dependency-cruiser.cjs).
export * from './access-request.ts';
export * from './authorization.ts';
export * from './deps.ts';
export * from './dto.ts';
export * from './errors.ts';
export * from './ports.ts';
export * from './schemas.ts';
export * from './sweep-deadlines.ts';
export * from './transitions.ts';
export { approveRequest, denyRequest, revokeRequest, type DecisionInput } from './use-cases.ts';
