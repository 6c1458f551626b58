import { createHash } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import type { SigningCredential } from './model.ts';
import {
  amzDate, constantTimeEqual, expiredTokenProblem, fail, parseAmzDate, parseQueryString, parseScope, scopeProblem,
  sessionTokenMatches, signerFor, type SigV4Result,
} from './sigv4-common.ts';

export type { SigV4FailureCode, SigV4Result } from './sigv4-common.ts';

// Verifies a header-signed SigV4 request the way an AWS front end does, by
// recomputing the signature with @smithy/signature-v4 from the known secret.
// Generic in the service name so the local API adapter can authenticate
// `execute-api` calls with it as well as the stand-in its `sts`/`ssm` ones.

export interface SignedRequest {
  method: string;
  /** Path plus query exactly as on the wire (Node's `req.url`); or give `path` and `query`. */
  url?: string;
  path?: string;
  /** Decoded query parameters, when `url` is not given. */
  query?: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body?: string | Uint8Array;
}

export interface VerifyOptions {
  service: string;
  /** When set, the credential scope must name this region. */
  region?: string;
  now: Date;
  /** AWS refuses signatures more than five minutes away from its clock. */
  maxSkewSeconds?: number;
}

const AUTH = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

export async function verifySigV4<C extends SigningCredential>(
  req: SignedRequest,
  lookup: (accessKeyId: string) => C | undefined,
  opts: VerifyOptions,
): Promise<SigV4Result<C>> {
  const headers = lowerCaseHeaders(req.headers);
  const authorization = headers.authorization;
  if (!authorization) return fail('missing-authentication', 'Missing Authentication Token');
  const match = AUTH.exec(authorization);
  const scope = match?.[1] ? parseScope(match[1]) : undefined;
  const [signedHeaders, signature] = [match?.[2]?.split(';') ?? [], match?.[3] ?? ''];
  if (!match || !scope) return fail('incomplete-signature', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.split(' ')[0]}`);
  const signedAt = parseAmzDate(headers['x-amz-date']);
  if (!signedAt) return fail('incomplete-signature', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!signedHeaders.includes('host')) return fail('signature-mismatch', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const badScope = scopeProblem(scope, opts, signedAt);
  if (badScope) return fail('wrong-scope', badScope);

  const credential = lookup(scope.accessKeyId);
  if (!credential) return fail('unknown-access-key', 'The security token included in the request is invalid.');
  if (!sessionTokenMatches(credential, headers['x-amz-security-token'])) {
    return fail('invalid-session-token', 'The security token included in the request is invalid.');
  }
  const body = req.body ?? '';
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(body).digest('hex')) {
    return fail('signature-mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const target = pathAndQuery(req);
  if (!target) return fail('signature-mismatch', 'The request URL is not validly encoded.');
  const { path, query } = target;
  const request = new HttpRequest({
    method: req.method.toUpperCase(),
    protocol: 'https:',
    hostname: (headers.host ?? '').replace(/:\d+$/, ''),
    path,
    query,
    headers: Object.fromEntries(signedHeaders.map((name) => [name, headers[name] ?? ''])),
    body,
  });
  const resigned = await signerFor(credential, scope).sign(request, {
    signingDate: signedAt,
    signableHeaders: new Set(signedHeaders),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization ?? ''))?.[1] ?? '';
  if (!constantTimeEqual(signature, expected)) {
    return fail('signature-mismatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }

  const skewProblem = skew(signedAt, opts.now, opts.maxSkewSeconds ?? 300);
  if (skewProblem) return fail('signature-expired', skewProblem);
  const expired = expiredTokenProblem(credential, opts.now);
  if (expired) return fail('expired-token', expired);
  return { ok: true, credential, accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, signedAt };
}

function skew(signedAt: Date, now: Date, maxSkewSeconds: number): string | undefined {
  const limit = maxSkewSeconds * 1000;
  const minutes = `${Math.round(maxSkewSeconds / 60)} min.`;
  if (signedAt.getTime() < now.getTime() - limit) {
    return `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(new Date(now.getTime() - limit))} (${amzDate(now)} - ${minutes})`;
  }
  if (signedAt.getTime() > now.getTime() + limit) {
    return `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(new Date(now.getTime() + limit))} (${amzDate(now)} + ${minutes})`;
  }
  return undefined;
}

function lowerCaseHeaders(headers: SignedRequest['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function pathAndQuery(req: SignedRequest): { path: string; query: Record<string, string | string[]> } | undefined {
  if (req.url === undefined) {
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) query[key] = value;
    return { path: req.path ?? '/', query };
  }
  const at = req.url.indexOf('?');
  const query = parseQueryString(at < 0 ? '' : req.url.slice(at + 1));
  return query && { path: (at < 0 ? req.url : req.url.slice(0, at)) || '/', query };
}
