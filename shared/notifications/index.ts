// The public entry of notifications: other features and the wiring import from here (.dependency-cruiser.cjs).
export * from './contacts.ts';
export * from './deliver-event.ts';
export * from './errors.ts';
export * from './messages.ts';
export * from './ports.ts';
export * from './schemas.ts';
export * from './settings.ts';
export * from './slack-interaction.ts';
export * from './slack-signature.ts';
export * from './webhook-signature.ts';
export * from './remind-ending.ts';
