import { z } from 'zod';
import { authorize } from './authorize.ts';
import { AwsError, notAuthorizedMessage } from './aws-error.ts';
import * as ids from './ids.ts';
import type { Principal, SsmSession, Tags } from './model.ts';
import type { ContextValue } from './policy-match.ts';
import type { SigV4FailureCode } from './sigv4.ts';
import { STREAM_PREFIX, tokenHash } from './ssm-streams.ts';
import { AWS_OWNED_DOCUMENTS, DEFAULT_SESSION_DOCUMENT, type StandinState } from './state.ts';

// SSM Session Manager over JSON 1.1 (`X-Amz-Target: AmazonSSM.<Op>`).
// Authorization follows AWS: StartSession needs the instance AND the document
// ARN; sessions are tagged `aws:ssmmessages:session-id` = the caller's
// aws:userid, which is how AWS lets role sessions end only their own sessions.

export interface SsmCall {
  operation: string;
  body: string;
  caller: Principal;
  /** From the SigV4 credential scope: the region the client called. */
  region: string;
  state: StandinState;
  now: Date;
  /** The stand-in's own loopback URL: StreamUrl points at its stream endpoint (ssm-streams.ts). */
  standinUrl: string;
}

const startSessionSchema = z.object({
  Target: z.string().min(1).max(400),
  DocumentName: z.string().regex(/^[a-zA-Z0-9_\-.:/]{3,128}$/).optional(),
  Reason: z.string().min(1).max(256).optional(),
  Parameters: z.record(z.string(), z.array(z.string())).optional(),
});
const terminateSessionSchema = z.object({ SessionId: z.string().min(1).max(96) });

function parseBody<T>(schema: z.ZodType<T>, body: string): T {
  let json: unknown;
  try {
    json = body === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `Value at '${i.path.join('.')}' failed to satisfy constraint: ${i.message}`);
  const n = problems.length;
  throw new AwsError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

const tagContext = (tags: Tags): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).flatMap(([k, v]) => [[`ssm:resourceTag/${k}`, v], [`aws:ResourceTag/${k}`, v]]));

function denied(caller: Principal, action: string, resources: { arn: string; context?: Record<string, ContextValue | undefined> }[], call: SsmCall): void {
  const result = authorize(call.state, caller, action, resources, call.now);
  if (!result.allowed) throw new AwsError('AccessDeniedException', notAuthorizedMessage(caller.arn, action, result.resource, result.because));
}

function startSession(call: SsmCall): Record<string, string> {
  const input = parseBody(startSessionSchema, call.body);
  const { caller, region, state } = call;
  const documentName = (input.DocumentName ?? DEFAULT_SESSION_DOCUMENT).split('/').at(-1) ?? '';
  // AWS-owned documents live in no account: their ARN has an empty account field.
  const documentAccount = AWS_OWNED_DOCUMENTS.includes(documentName) ? '' : caller.account;
  const documentArn = input.DocumentName?.startsWith('arn:') ? input.DocumentName : `arn:aws:ssm:${region}:${documentAccount}:document/${documentName}`;
  const instance = state.instances.get(input.Target);
  const instanceArn = input.Target.startsWith('mi-')
    ? `arn:aws:ssm:${region}:${instance?.account ?? caller.account}:managed-instance/${input.Target}`
    : `arn:aws:ec2:${region}:${instance?.account ?? caller.account}:instance/${input.Target}`;
  denied(caller, 'ssm:StartSession', [{ arn: instanceArn, context: tagContext(instance?.tags ?? {}) }, { arn: documentArn }], call);

  // AWS answers TargetNotConnected also for nodes in another account or Region.
  if (!instance || instance.account !== caller.account || instance.region !== region) {
    throw new AwsError('TargetNotConnected', `${input.Target} is not connected.`);
  }
  if (!state.documents.has(documentName)) throw new AwsError('InvalidDocument', `Document with name ${documentName} does not exist.`);

  const sessionId = ids.ssmSessionId(caller.kind === 'role-session' ? caller.sessionName : caller.userName);
  // AWS's StreamUrl is a wss:// data channel on ssmmessages; ours is the stand-in's own stream
  // endpoint, so that dev/tunnel.ts can forward real TCP connections while the session lasts.
  const streamUrl = `${call.standinUrl}${STREAM_PREFIX}${sessionId}`;
  const tokenValue = ids.ssmTokenValue();
  const session: SsmSession = {
    sessionId, status: 'Connected', owner: caller.arn, ownerUserId: caller.userId, target: input.Target,
    documentName, parameters: input.Parameters ?? {}, region, account: caller.account, startDate: call.now, streamUrl,
    tokenHash: tokenHash(tokenValue),
    ...(input.Reason !== undefined && { reason: input.Reason }),
  };
  state.sessions.set(sessionId, session);
  return { SessionId: sessionId, TokenValue: tokenValue, StreamUrl: streamUrl };
}

function terminateSession(call: SsmCall): Record<string, string> {
  const { SessionId } = parseBody(terminateSessionSchema, call.body);
  const { caller, region } = call;
  const found = call.state.sessions.get(SessionId);
  const session = found && found.account === caller.account && found.region === region ? found : undefined;
  const context = session
    ? tagContext({ 'aws:ssmmessages:session-id': session.ownerUserId, 'aws:ssmmessages:target-id': session.target })
    : {};
  denied(caller, 'ssm:TerminateSession', [{ arn: `arn:aws:ssm:${region}:${caller.account}:session/${SessionId}`, context }], call);
  // Terminating twice, or a session that is already gone, is not an error in AWS.
  if (session) call.state.terminateSession(session, call.now);
  return { SessionId };
}

export function handleSsm(call: SsmCall): Record<string, string> {
  switch (call.operation) {
    case 'StartSession':
      return startSession(call);
    case 'TerminateSession':
      return terminateSession(call);
    default:
      throw new AwsError('UnknownOperationException', `Operation ${call.operation} is not supported by the AWS stand-in.`);
  }
}

/** How SSM (a JSON-protocol service) names each SigV4 failure. */
export function ssmAuthError(code: SigV4FailureCode, message: string): AwsError {
  switch (code) {
    case 'missing-authentication':
      return new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    case 'incomplete-signature':
      return new AwsError('IncompleteSignatureException', message);
    case 'unknown-access-key':
    case 'invalid-session-token':
      return new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'expired-token':
      return new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
    case 'wrong-scope':
    case 'signature-mismatch':
    case 'signature-expired':
      return new AwsError('InvalidSignatureException', message);
  }
}
