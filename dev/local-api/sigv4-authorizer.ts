import type { SigningCredential } from '../aws-standin/model.ts';
import { verifySigV4 } from '../aws-standin/sigv4.ts';
import type { IamIdentity } from './event-v1.ts';
import { jsonResponse, type LocalRequest, type LocalResponse } from './http-io.ts';

// AWS_IAM authorization of the REST API: the SigV4 signature for service
// `execute-api` is checked by the same verifier the AWS stand-in uses. Who the
// access keys belong to is injected (`lookup`), so the local API does not
// depend on how the stand-in keeps its state.

export interface ExecuteApiCredential extends SigningCredential {
  arn: string;
  account?: string;
  /** `aws:userid`: `AROA…:session` for role sessions, `AIDA…` for users. */
  userId?: string;
}

export type CredentialLookup = (accessKeyId: string) => ExecuteApiCredential | undefined;

export type IamDecision = { ok: true; identity: IamIdentity } | { ok: false; response: LocalResponse };

// REST API answers IAM failures with 403 and names the failure in x-amzn-ErrorType.
const ERROR_TYPES: Record<string, string> = {
  'missing-authentication': 'MissingAuthenticationTokenException',
  'incomplete-signature': 'IncompleteSignatureException',
  'wrong-scope': 'InvalidSignatureException',
  'signature-mismatch': 'InvalidSignatureException',
  'signature-expired': 'InvalidSignatureException',
  'unknown-access-key': 'UnrecognizedClientException',
  'invalid-session-token': 'UnrecognizedClientException',
  'expired-token': 'ExpiredTokenException',
};

export async function authorizeIam(request: LocalRequest, lookup: CredentialLookup, region: string, now: Date): Promise<IamDecision> {
  const query = request.rawQueryString === '' ? '' : `?${request.rawQueryString}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of request.rawHeaders) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  const result = await verifySigV4({ method: request.method, url: `${request.rawPath}${query}`, headers, body: request.body }, lookup, {
    service: 'execute-api',
    region,
    now,
  });
  if (!result.ok) {
    const type = ERROR_TYPES[result.code] ?? 'AccessDeniedException';
    return { ok: false, response: jsonResponse(403, { message: result.message }, [['x-amzn-errortype', type]]) };
  }
  const { credential, accessKeyId } = result;
  return {
    ok: true,
    identity: {
      accessKey: accessKeyId,
      accountId: credential.account ?? credential.arn.split(':')[4] ?? '',
      caller: credential.userId ?? accessKeyId,
      userArn: credential.arn,
    },
  };
}
