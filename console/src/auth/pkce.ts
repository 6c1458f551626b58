// RFC 7636 in the browser, as cli/pkce.ts does it in Node: a 32-byte verifier,
// its S256 challenge, and a state tying the redirect to this sign-in.

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const random = (length: number): string => base64url(crypto.getRandomValues(new Uint8Array(length)));

export const createVerifier = (): string => random(32);
export const createState = (): string => random(16);

export async function challengeFor(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}
