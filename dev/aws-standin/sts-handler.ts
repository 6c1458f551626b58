import { awsTime } from './authorize.ts';
import { AwsError } from './aws-error.ts';
import type { Principal } from './model.ts';
import type { SigV4FailureCode } from './sigv4.ts';
import type { StandinState } from './state.ts';
import { assumeRole } from './sts-assume-role.ts';
import { parseAssumeRole } from './sts-validation.ts';
import { stsDocument } from './xml.ts';

// STS over the query protocol: form-encoded `Action=…&Version=2011-06-15`
// in, XML out, errors as `<ErrorResponse>` with AWS's codes and statuses.

export interface StsCall {
  form: URLSearchParams;
  caller: Principal;
  state: StandinState;
  now: Date;
  requestId: string;
}

export function handleSts(call: StsCall): string {
  const action = call.form.get('Action');
  const version = call.form.get('Version');
  if (version !== '2011-06-15') {
    throw new AwsError('InvalidAction', `Could not find operation ${action ?? ''} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 400);
  }
  const metadata = { RequestId: call.requestId };
  switch (action) {
    case 'AssumeRole': {
      const { session, packedPolicySize } = assumeRole(call.state, call.caller, parseAssumeRole(call.form), call.now);
      return stsDocument('AssumeRoleResponse', {
        AssumeRoleResult: {
          SourceIdentity: session.sourceIdentity,
          AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
          Credentials: {
            AccessKeyId: session.accessKeyId,
            SecretAccessKey: session.secretAccessKey,
            SessionToken: session.sessionToken,
            Expiration: awsTime(session.expiration),
          },
          PackedPolicySize: packedPolicySize,
        },
        ResponseMetadata: metadata,
      });
    }
    case 'GetCallerIdentity':
      return stsDocument('GetCallerIdentityResponse', {
        GetCallerIdentityResult: { Arn: call.caller.arn, UserId: call.caller.userId, Account: call.caller.account },
        ResponseMetadata: metadata,
      });
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${action ?? ''} for version 2011-06-15`, 400);
  }
}

export function stsErrorDocument(error: AwsError, requestId: string): string {
  return stsDocument('ErrorResponse', {
    Error: { Type: error.type, Code: error.code, Message: error.message },
    RequestId: requestId,
  });
}

/** How STS names each SigV4 failure. */
export function stsAuthError(code: SigV4FailureCode, message: string): AwsError {
  switch (code) {
    case 'missing-authentication':
      return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'incomplete-signature':
      return new AwsError('IncompleteSignature', message, 403);
    case 'unknown-access-key':
    case 'invalid-session-token':
      return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    case 'expired-token':
      return new AwsError('ExpiredToken', 'The security token included in the request is expired', 400);
    case 'wrong-scope':
    case 'signature-mismatch':
    case 'signature-expired':
      return new AwsError('SignatureDoesNotMatch', message, 403);
  }
}
