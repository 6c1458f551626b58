import { inject } from 'vitest';
import { mintToken, type MintOptions } from '#dev/oidc/mint-token';

// Tokens from the development issuer of the stack the global setup started:
// same key (from its home), same issuer, default audience `latchkey`.

export type TokenOptions = Omit<MintOptions, 'home'>;

export function tokenFor(options: TokenOptions): Promise<string> {
  return mintToken({ ...options, home: inject('latchkeyHome'), issuer: options.issuer ?? inject('issuer') });
}
