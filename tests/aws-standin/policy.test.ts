import { describe, expect, it } from 'vitest';
import { evaluate, type Decision } from '#dev/aws-standin/policy';
import { contextOf } from '#dev/aws-standin/policy-match';
import { parsePolicyText, type PolicyDocument, type PolicyStatement } from '#dev/aws-standin/policy-schema';

const INSTANCE = 'arn:aws:ec2:eu-central-1:222222222222:instance/i-0123456789abcdef0';
const USER_ID = 'AROAEXAMPLEROLEID0001:req-1';
const baseContext = {
  'aws:CurrentTime': '2026-05-01T12:00:00Z',
  'aws:userid': USER_ID,
  'aws:PrincipalTag/Tenant': 't-1',
  'sts:ExternalId': 'ext-123',
  'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/LatchkeyAccess',
  'ssm:resourceTag/aws:ssmmessages:session-id': USER_ID,
};

const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (extra: Partial<PolicyStatement>): PolicyStatement => ({ Effect: 'Allow', Action: 'ssm:StartSession', Resource: INSTANCE, ...extra });
const request = (overrides: Partial<{ action: string; resource: string; context: Record<string, string | string[] | undefined> }> = {}) => ({
  action: overrides.action ?? 'ssm:StartSession',
  resource: overrides.resource ?? INSTANCE,
  context: contextOf({ ...baseContext, ...overrides.context }),
});

describe('evaluate', () => {
  it.each<[string, PolicyDocument[], ReturnType<typeof request>, Decision]>([
    ['allows an exact action and resource', [policy(allow({}))], request(), 'allow'],
    ['denies implicitly when nothing matches', [policy(allow({ Action: 'ssm:TerminateSession' }))], request(), 'implicit-deny'],
    ['matches service wildcards, case-insensitively', [policy(allow({ Action: 'SSM:*' }))], request(), 'allow'],
    ['matches ? in actions', [policy(allow({ Action: 'ssm:StartSessio?' }))], request(), 'allow'],
    ['matches resource wildcards', [policy(allow({ Resource: 'arn:aws:ec2:*:*:instance/i-*' }))], request(), 'allow'],
    ['keeps resources case-sensitive', [policy(allow({ Resource: INSTANCE.toUpperCase() }))], request(), 'implicit-deny'],
    ['lets an explicit deny win over an allow', [policy(allow({})), policy({ Effect: 'Deny', Action: 'ssm:*', Resource: '*' })], request(), 'deny'],
    ['applies NotAction', [policy(allow({ Action: undefined, NotAction: 'ssm:TerminateSession' }))], request(), 'allow'],
    ['applies NotAction exclusions', [policy(allow({ Action: undefined, NotAction: 'ssm:Start*' }))], request(), 'implicit-deny'],
    ['applies NotResource', [policy(allow({ Resource: undefined, NotResource: 'arn:aws:ec2:*:*:instance/i-9*' }))], request(), 'allow'],
    ['substitutes ${aws:userid} in resources', [policy(allow({ Action: 'ssm:TerminateSession', Resource: 'arn:aws:ssm:*:*:session/${aws:userid}-*' }))], request({ action: 'ssm:TerminateSession', resource: `arn:aws:ssm:eu-central-1:222222222222:session/${USER_ID}-0a1b2c3d4e5f60718` }), 'allow'],
    ['treats a missing policy variable as no match', [policy(allow({ Resource: 'arn:aws:ec2:*:*:instance/${aws:username}' }))], request(), 'implicit-deny'],
    ['uses a policy variable default', [policy(allow({ Resource: "arn:aws:ec2:*:*:instance/${aws:username, 'i-0123456789abcdef0'}" }))], request(), 'allow'],
    ['checks StringEquals on sts:ExternalId', [policy(allow({ Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } } }))], request(), 'allow'],
    ['fails StringEquals on a wrong value', [policy(allow({ Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } } }))], request({ context: { 'sts:ExternalId': 'guess' } }), 'implicit-deny'],
    ['fails StringEquals on a missing key', [policy(allow({ Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } } }))], request({ context: { 'sts:ExternalId': undefined } }), 'implicit-deny'],
    ['reads condition keys case-insensitively', [policy(allow({ Condition: { StringEquals: { 'STS:EXTERNALID': 'ext-123' } } }))], request(), 'allow'],
    ['passes StringNotEquals on a missing key', [policy(allow({ Condition: { StringNotEquals: { 'aws:PrincipalTag/Team': 'x' } } }))], request(), 'allow'],
    ['passes ...IfExists on a missing key', [policy(allow({ Condition: { StringEqualsIfExists: { 'aws:PrincipalTag/Team': 'x' } } }))], request(), 'allow'],
    ['matches StringLike with a variable', [policy(allow({ Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } } }))], request(), 'allow'],
    ['refuses StringLike for another session owner', [policy(allow({ Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } } }))], request({ context: { 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROAOTHER:req-2' } }), 'implicit-deny'],
    ['matches principal tags in conditions', [policy(allow({ Condition: { StringEquals: { 'aws:PrincipalTag/tenant': 't-1' } } }))], request(), 'allow'],
    ['allows before DateLessThan', [policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': '2026-05-01T12:00:01Z' } } }))], request(), 'allow'],
    ['refuses at DateLessThan', [policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': '2026-05-01T12:00:00Z' } } }))], request(), 'implicit-deny'],
    ['allows after DateGreaterThan', [policy(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-05-01T11:59:59Z' } } }))], request(), 'allow'],
    ['compares epoch-second dates', [policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': String(Date.parse('2026-06-01T00:00:00Z') / 1000) } } }))], request(), 'allow'],
    ['matches ArnLike per ARN component', [policy(allow({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Latchkey*' } } }))], request(), 'allow'],
    ['refuses ArnEquals on another role', [policy(allow({ Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/Other' } } }))], request(), 'implicit-deny'],
    ['checks Null true on a missing key', [policy(allow({ Condition: { Null: { 'aws:SourceIdentity': 'true' } } }))], request(), 'allow'],
    ['checks Null false on a present key', [policy(allow({ Condition: { Null: { 'sts:ExternalId': 'false' } } }))], request(), 'allow'],
    ['checks Bool', [policy(allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))], request({ context: { 'aws:SecureTransport': 'true' } }), 'allow'],
    ['ORs the values of one key', [policy(allow({ Condition: { StringEquals: { 'sts:ExternalId': ['a', 'ext-123'] } } }))], request(), 'allow'],
    ['ANDs keys and operators', [policy(allow({ Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' }, DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } } }))], request(), 'implicit-deny'],
    ['checks ForAllValues over multi-valued keys', [policy(allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant', 'request'] } } }))], request({ context: { 'aws:TagKeys': ['tenant', 'evil'] } }), 'implicit-deny'],
    ['checks ForAnyValue over multi-valued keys', [policy(allow({ Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'tenant' } } }))], request({ context: { 'aws:TagKeys': ['tenant', 'x'] } }), 'allow'],
    ['ignores statements with a Principal in identity policies', [policy(allow({ Principal: '*' }))], request(), 'implicit-deny'],
  ])('%s', (_, policies, req, expected) => {
    expect(evaluate(policies, req)).toBe(expected);
  });

  it('evaluates Principal only through the caller matcher of a resource policy', () => {
    const trust = policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/latchkey-issuer' }, Action: 'sts:AssumeRole' });
    const asCaller = (matches: boolean) => evaluate([trust], { ...request({ action: 'sts:AssumeRole' }), principalMatches: () => matches });
    expect([asCaller(true), asCaller(false)]).toEqual(['allow', 'implicit-deny']);
  });
});

describe('parsePolicyText', () => {
  it.each([
    ['invalid JSON', '{"Statement":'],
    ['a statement without Effect', '{"Statement":[{"Action":"*","Resource":"*"}]}'],
    ['an unknown condition operator', '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringSorta":{"a":"b"}}}]}'],
    ['both Action and NotAction', '{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}'],
  ])('rejects %s', (_, text) => {
    expect(parsePolicyText(text)).toBeUndefined();
  });

  it('accepts a single statement object and list values', () => {
    expect(parsePolicyText('{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":["ssm:*"],"Resource":"*","Condition":{"DateGreaterThanIfExists":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}}')).toBeDefined();
  });
});
