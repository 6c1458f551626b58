// The shape of the IAM documents Latchkey writes (trust, permission, session
// policy) and the one statement two of them share.

export type Condition = Record<string, Record<string, string | string[]>>;
export type IamStatement = { Sid: string; Effect: 'Allow'; Principal?: { AWS: string }; Action: string | string[]; Resource?: string[]; Condition?: Condition };
export type IamPolicy = { Version: '2012-10-17'; Statement: IamStatement[] };

/**
 * SSM tags each session with its starter's `aws:userid` (`AROA…:sessionName`
 * for a role session) under `aws:ssmmessages:session-id`, so this lets a
 * session end only what the same session name started. A Resource of
 * `session/${aws:userid}-*` never matches a role session's own sessions (their
 * ids start with the session name), so this is the form AWS documents for
 * federated and role users ("Example 4: Allow a user to end only sessions they
 * started", Session Manager user guide, getting-started-restrict-access-examples),
 * and the one the stand-in evaluates. `narrower` conditions go first: the
 * session policy adds its window's end.
 */
export function terminateOwnSessionsStatement<R extends string | string[], N extends Condition = Record<never, never>>(resource: R, narrower: N = {} as N) {
  return {
    Sid: 'EndOwnSessions',
    Effect: 'Allow' as const,
    Action: 'ssm:TerminateSession',
    Resource: resource,
    Condition: { ...narrower, StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
  };
}
