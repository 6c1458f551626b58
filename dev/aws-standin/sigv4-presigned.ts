import { HttpRequest } from '@smithy/protocol-http';
import type { SigningCredential } from './model.ts';
import {
  amzDate, constantTimeEqual, expiredTokenProblem, fail, parseAmzDate, parseQueryString, parseScope,
  scopeProblem, sessionTokenMatches, signerFor, type SigV4Result,
} from './sigv4-common.ts';

// Verifies a SigV4 presigned URL (query-string auth), the form of an RDS IAM
// auth token. The URL may lack its scheme, as RDS tokens do.

export interface PresignedUrl {
  /** `host[:port]`, as it was signed in the `host` header. */
  host: string;
  path: string;
  /** Every query parameter, decoded, including the X-Amz-* ones. */
  params: Record<string, string>;
}

const AUTH_PARAMS = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires',
  'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token',
]);

export function parsePresignedUrl(url: string): PresignedUrl | undefined {
  const withoutScheme = url.replace(/^https?:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  const question = withoutScheme.indexOf('?');
  if (slash <= 0 || question < slash) return undefined;
  const query = parseQueryString(withoutScheme.slice(question + 1));
  if (!query) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    // A repeated parameter is never produced by a signer; refuse rather than guess.
    if (Array.isArray(value)) return undefined;
    params[key] = value as string;
  }
  return { host: withoutScheme.slice(0, slash), path: withoutScheme.slice(slash, question), params };
}

export type PresignedResult<C extends SigningCredential> =
  | (Extract<SigV4Result<C>, { ok: true }> & { expiresIn: number })
  | Extract<SigV4Result<C>, { ok: false }>;

export async function verifyPresignedSigV4<C extends SigningCredential>(
  url: PresignedUrl,
  lookup: (accessKeyId: string) => C | undefined,
  opts: { service: string; region?: string; now: Date },
): Promise<PresignedResult<C>> {
  const p = url.params;
  const scope = parseScope(p['X-Amz-Credential'] ?? '');
  const signedAt = parseAmzDate(p['X-Amz-Date']);
  const expiresIn = Number(p['X-Amz-Expires']);
  if (p['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256' || !scope || !signedAt || !Number.isInteger(expiresIn) || !p['X-Amz-Signature']) {
    return fail('incomplete-signature', 'The presigned URL lacks a well-formed X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires or X-Amz-Signature.');
  }
  if (p['X-Amz-SignedHeaders'] !== 'host') return fail('signature-mismatch', 'Only the host header can be verified in a presigned URL.');
  const badScope = scopeProblem(scope, opts, signedAt);
  if (badScope) return fail('wrong-scope', badScope);

  const credential = lookup(scope.accessKeyId);
  if (!credential) return fail('unknown-access-key', 'The security token included in the request is invalid.');
  if (!sessionTokenMatches(credential, p['X-Amz-Security-Token'])) {
    return fail('invalid-session-token', 'The security token included in the request is invalid.');
  }

  const query = Object.fromEntries(Object.entries(p).filter(([key]) => !AUTH_PARAMS.has(key)));
  const request = new HttpRequest({
    method: 'GET', protocol: 'https:', hostname: url.host.replace(/:\d+$/, ''), path: url.path, query,
    headers: { host: url.host },
  });
  const presigned = await signerFor(credential, scope).presign(request, { signingDate: signedAt, expiresIn });
  if (!constantTimeEqual(p['X-Amz-Signature'], String(presigned.query?.['X-Amz-Signature'] ?? ''))) {
    return fail('signature-mismatch', 'The request signature we calculated does not match the signature you provided.');
  }

  const expiresAt = signedAt.getTime() + expiresIn * 1000;
  if (opts.now.getTime() > expiresAt) return fail('signature-expired', `Request has expired: signed ${amzDate(signedAt)}, valid for ${expiresIn} s.`);
  if (signedAt.getTime() > opts.now.getTime() + 300_000) return fail('signature-expired', `Request is not yet valid: signed ${amzDate(signedAt)}.`);
  const expired = expiredTokenProblem(credential, opts.now);
  if (expired) return fail('expired-token', expired);
  return { ok: true, credential, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, signedAt, expiresIn };
}
