import { createHash, randomBytes } from 'node:crypto';

// RFC 7636: a high-entropy verifier kept in memory by `latchkey login`, and the
// S256 challenge the authorization request carries. `state` ties the redirect
// back to this login (RFC 6749 §10.12).

/** 32 random bytes, base64url: 43 characters of [A-Za-z0-9-_]. */
export const createVerifier = (): string => randomBytes(32).toString('base64url');

export const challengeFor = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

export const createState = (): string => randomBytes(16).toString('base64url');
