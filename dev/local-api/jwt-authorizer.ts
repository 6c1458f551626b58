import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { JwtAuthorizerConfig } from './route-table.ts';

// The HTTP API JWT authorizer, step for step as AWS documents it
// (API Gateway developer guide, "Control access to HTTP APIs with JWT
// authorizers" and "Troubleshooting issues with HTTP API JWT authorizers"):
//  1. read the token from the Authorization header, bare or after "Bearer ";
//  2. decode it; only RSA algorithms are supported (so never `alg: none`);
//  3. verify the signature with the key from the issuer's jwks_uri whose id
//     equals the token's `kid` header (a token without kid is refused, even
//     though a generic verifier would try the only key in the set);
//  4. `iss` must equal the configured issuer; `aud` must contain one of the
//     configured audiences, or, only when `aud` is absent, `client_id` must be
//     one; `exp` must be after now; `nbf` and `iat` must be before now.
// The keys are fetched over HTTP from the issuer's discovery document, exactly
// as API Gateway does, so the local API holds no key of its own.

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

export type JwtDecision = { ok: true; payload: JWTPayload } | { ok: false; description?: string };

export interface JwtAuthorizer {
  authorize(authorization: string | undefined): Promise<JwtDecision>;
}

export function createJwtAuthorizer(config: JwtAuthorizerConfig, now: () => Date = () => new Date()): JwtAuthorizer {
  // One discovery shared by concurrent first requests; a failed one is retried on the next request.
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () =>
    (keys ??= discoverJwksUri(config.issuer).then(createRemoteJWKSet, (error: unknown) => {
      keys = undefined;
      throw error;
    }));

  return {
    async authorize(authorization) {
      const token = tokenFrom(authorization);
      if (!token) return { ok: false };
      try {
        const header = decodeProtectedHeader(token);
        if (!RSA_ALGORITHMS.includes(String(header.alg))) return invalid('the token is not signed with a supported algorithm');
        if (typeof header.kid !== 'string' || header.kid === '') return invalid('the token has no kid');
        const { payload } = await jwtVerify(token, await keySet(), {
          issuer: config.issuer,
          algorithms: RSA_ALGORITHMS,
          requiredClaims: ['exp'],
          currentDate: now(),
        });
        if (!audienceMatches(payload, config.audience)) return invalid('the token does not have a valid audience');
        if (typeof payload.iat === 'number' && payload.iat * 1000 > now().getTime()) return invalid('the token was issued in the future');
        return { ok: true, payload };
      } catch (error) {
        // A JOSE error is the caller's bad token; anything else (the issuer is
        // unreachable) is the stack's problem and worth a line on stderr.
        if (!(error instanceof errors.JOSEError)) console.error(`jwt authorizer: ${(error as Error).message}`);
        return invalid(describe(error));
      }
    },
  };
}

function tokenFrom(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  const token = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  return token.trim() || undefined;
}

function audienceMatches(payload: JWTPayload, audiences: string[]): boolean {
  if (payload.aud !== undefined) {
    const tokenAudiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return tokenAudiences.some((aud) => audiences.includes(aud));
  }
  const clientId = payload.client_id;
  return typeof clientId === 'string' && audiences.includes(clientId);
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`OIDC discovery at ${url} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error(`OIDC discovery at ${url} has no jwks_uri`);
  return new URL(document.jwks_uri);
}

const invalid = (description: string): JwtDecision => ({ ok: false, description });

// Only "the token does not have a valid audience" is AWS's published wording;
// the others are ours, short and free of token content.
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'the token does not have a valid issuer';
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token has an invalid ${error.claim} claim`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token kid matches no key of the issuer';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with a supported algorithm';
  if (error instanceof errors.JOSEError) return 'the token is malformed';
  return 'the token could not be verified';
}
