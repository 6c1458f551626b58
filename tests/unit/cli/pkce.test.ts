import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeFor, createState, createVerifier } from '../../../cli/pkce.ts';
import { challengeOf } from '../../../dev/oidc/code-flow.ts';

describe('PKCE (RFC 7636)', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character verifiers of the unreserved alphabet, different every time', () => {
    const verifiers = Array.from({ length: 50 }, createVerifier);
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(new Set(verifiers).size).toBe(50);
  });

  it('the challenge is base64url(SHA-256(verifier)) without padding, as the dev issuer checks it', () => {
    const verifier = createVerifier();
    const challenge = challengeFor(verifier);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challengeOf(verifier)).toBe(challenge);
  });

  it('states are random and URL-safe', () => {
    const a = createState();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(createState()).not.toBe(a);
  });
});
