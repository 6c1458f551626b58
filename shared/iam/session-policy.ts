import { dbUserArn, instanceArn, portForwardingDocumentArn, sessionArns } from './arns.ts';
import { terminateOwnSessionsStatement } from './policy-document.ts';

// The inline session policy of one AssumeRole: it narrows the customer's
// permission policy (permission-policy.ts) to one grant, from the same ARN
// builders, so that policy-subset.ts can prove it asks for nothing more.

export type SessionPolicyInput = {
  region: string;
  accountId: string;
  resourceId: string;
  databaseUser: string;
  windowEnd: string | Date;
  ssm?: { instanceId: string };
};

type SessionStatement = { Sid: string; Effect: 'Allow'; Action: string; Resource: string | string[]; Condition: Record<string, Record<string, string>> };
export type SessionPolicy = { Version: '2012-10-17'; Statement: SessionStatement[] };

/** IAM date conditions take ISO 8601 to the second; rounding down keeps the cut at or before the window's end. */
export const awsTime = (at: string | Date): string => new Date(Math.floor(new Date(at).getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

const before = (until: string) => ({ DateLessThan: { 'aws:CurrentTime': until } });

/** The narrowing session policy: one dbuser and, when asked, one instance and document; nothing past the window. */
export function sessionPolicyDocument(input: SessionPolicyInput): SessionPolicy {
  const until = awsTime(input.windowEnd);
  const { region, accountId } = input;
  const statements: SessionStatement[] = [
    { Sid: 'Connect', Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUserArn(input, input.databaseUser), Condition: before(until) },
  ];
  if (input.ssm) {
    statements.push(
      { Sid: 'Tunnel', Effect: 'Allow', Action: 'ssm:StartSession', Resource: [instanceArn(input, input.ssm.instanceId), portForwardingDocumentArn(region)], Condition: before(until) },
      terminateOwnSessionsStatement(sessionArns(region, accountId), before(until)),
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Compact JSON: STS counts policy bytes against the packed-size budget. */
export const sessionPolicyFor = (input: SessionPolicyInput): string => JSON.stringify(sessionPolicyDocument(input));

/** The policy of ending a grant's sessions after revocation or window end: only TerminateSession on its own sessions, briefly. */
export function terminationPolicyDocument(input: { region: string; accountId: string; until: string | Date }): SessionPolicy {
  return { Version: '2012-10-17', Statement: [terminateOwnSessionsStatement(sessionArns(input.region, input.accountId), before(awsTime(input.until)))] };
}

export const terminationPolicyFor = (input: { region: string; accountId: string; until: string | Date }): string => JSON.stringify(terminationPolicyDocument(input));

/**
 * The policy of ending a grant's database sessions directly: rds-db:connect as the database's control
 * user only, briefly — the token it signs opens one control connection and outlives nothing.
 */
export function databaseControlPolicyDocument(input: { region: string; accountId: string; resourceId: string; controlUser: string; until: string | Date }): SessionPolicy {
  return { Version: '2012-10-17', Statement: [{ Sid: 'Control', Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUserArn(input, input.controlUser), Condition: before(awsTime(input.until)) }] };
}

export const databaseControlPolicyFor = (input: Parameters<typeof databaseControlPolicyDocument>[0]): string => JSON.stringify(databaseControlPolicyDocument(input));
