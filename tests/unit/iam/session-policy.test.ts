import { describe, expect, it } from 'vitest';
import { awsTime, sessionPolicyDocument, sessionPolicyFor, terminationPolicyFor, type SessionPolicy } from '#shared/iam/session-policy';

describe('sessionPolicyFor', () => {
  const base = {
    region: 'eu-central-1',
    accountId: '111122223333',
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
    databaseUser: 'app_ro',
    windowEnd: '2030-01-15T10:00:00.123Z',
  };
  const parse = (json: string) => JSON.parse(json) as SessionPolicy;
  const resources = (doc: SessionPolicy) => doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));

  it('allows rds-db:connect on exactly the one dbuser ARN, and nothing else, without SSM', () => {
    const doc = parse(sessionPolicyFor(base));

    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'rds-db:connect' });
    expect(resources(doc)).toEqual(['arn:aws:rds-db:eu-central-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY1/app_ro']);
  });

  it('adds StartSession on exactly the instance and the port-forwarding document, and TerminateSession on its own sessions', () => {
    const doc = parse(sessionPolicyFor({ ...base, ssm: { instanceId: 'i-0123456789abcdef0' } }));

    expect(doc.Statement.map((s) => s.Action)).toEqual(['rds-db:connect', 'ssm:StartSession', 'ssm:TerminateSession']);
    expect(doc.Statement[1]!.Resource).toEqual([
      'arn:aws:ec2:eu-central-1:111122223333:instance/i-0123456789abcdef0',
      'arn:aws:ssm:eu-central-1::document/AWS-StartPortForwardingSessionToRemoteHost',
    ]);
    expect(doc.Statement[2]).toMatchObject({
      Resource: 'arn:aws:ssm:eu-central-1:111122223333:session/*',
      Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
    });
    expect(resources(doc).some((r) => r === '*')).toBe(false);
  });

  it.each([
    ['without SSM', {}],
    ['with SSM', { ssm: { instanceId: 'i-0123456789abcdef0' } }],
  ])('ends every statement at the window (DateLessThan aws:CurrentTime, to the second) %s', (_, extra) => {
    const doc = parse(sessionPolicyFor({ ...base, ...extra }));

    for (const statement of doc.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition.DateLessThan).toEqual({ 'aws:CurrentTime': '2030-01-15T10:00:00Z' });
    }
  });

  it('is compact JSON (STS counts its bytes)', () => {
    const json = sessionPolicyFor({ ...base, ssm: { instanceId: 'i-0123456789abcdef0' } });
    expect(json).toBe(JSON.stringify(JSON.parse(json)));
    expect(json).not.toMatch(/\s/);
    expect(parse(json)).toEqual(sessionPolicyDocument({ ...base, ssm: { instanceId: 'i-0123456789abcdef0' } }));
  });

  it('rounds the window end down, never past it', () => {
    expect(awsTime('2030-01-15T10:00:00.999Z')).toBe('2030-01-15T10:00:00Z');
  });

  it('gives the session-ending credentials TerminateSession on their own sessions only, until a deadline', () => {
    const doc = parse(terminationPolicyFor({ region: 'eu-central-1', accountId: '111122223333', until: '2030-01-15T10:15:00.000Z' }));

    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Action: 'ssm:TerminateSession',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-15T10:15:00Z' }, StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
    });
  });
});
