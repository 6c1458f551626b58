import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config';
import { parseRoleArn, roleArnSchema, roleOfCaller } from '#shared/iam/arns';
import { registerRoleBody } from '#shared/integrations/schemas';
import { ValidationError } from '#shared/kernel/errors';
import { serviceInputSchema } from '#shared/services/service';

// Every place that accepts a role must agree with parseRoleArn: a body schema looser than it
// let `role/path/` through POST /services, and the store's parseRoleArn turned it into a 500.

const service = { name: 'ETL reader', access: [{ targetId: 'tgt_0123456789', databaseUsers: ['app_ro'] }] };
const env = { MAIN_TABLE: 'main', LOG_TABLE: 'log' };

/** Each place a role ARN comes in: does it accept this one? */
const places: [string, (arn: string) => boolean][] = [
  ['POST /services', (roleArn) => serviceInputSchema.safeParse({ ...service, roleArn }).success],
  ['PUT /integrations/{id}/role', (roleArn) => registerRoleBody.safeParse({ roleArn }).success],
  ['BROKER_ROLE_ARN', (roleArn) => {
    try {
      return loadConfig({ ...env, BROKER_ROLE_ARN: roleArn }).BROKER_ROLE_ARN === roleArn;
    } catch {
      return false;
    }
  }],
];

const refused: [string, string][] = [
  ['a path with no name', 'arn:aws:iam::123456789012:role/path/'],
  ['an empty path segment', 'arn:aws:iam::123456789012:role//x'],
  ['a 65-character name', `arn:aws:iam::123456789012:role/${'a'.repeat(65)}`],
  ['no name at all', 'arn:aws:iam::123456789012:role/'],
  ['a path longer than 512 characters', `arn:aws:iam::123456789012:role/${'p/'.repeat(256)}x`],
  ['a space in the name', 'arn:aws:iam::123456789012:role/etl reader'],
  ['an 11-digit account', 'arn:aws:iam::12345678901:role/x'],
  ['a user, not a role', 'arn:aws:iam::123456789012:user/x'],
];
const accepted: [string, string, { accountId: string; name: string }][] = [
  ['a plain role', 'arn:aws:iam::123456789012:role/etl', { accountId: '123456789012', name: 'etl' }],
  ['a role with a path', 'arn:aws:iam::123456789012:role/pipelines/team/etl-reader', { accountId: '123456789012', name: 'etl-reader' }],
  ['a 64-character name', `arn:aws:iam::123456789012:role/${'a'.repeat(64)}`, { accountId: '123456789012', name: 'a'.repeat(64) }],
  ['every allowed character', 'arn:aws:iam::123456789012:role/a+=,.@_-/b+=,.@_-', { accountId: '123456789012', name: 'b+=,.@_-' }],
];

describe('one role ARN schema', () => {
  describe.each(places)('%s', (_place, accepts) => {
    it.each(refused)('refuses %s', (_case, arn) => {
      expect(accepts(arn)).toBe(false);
    });
    it.each(accepted)('accepts %s', (_case, arn) => {
      expect(accepts(arn)).toBe(true);
    });
  });

  it.each(refused)('parseRoleArn refuses %s with a ValidationError (a 400), not a plain Error', (_case, arn) => {
    expect(roleArnSchema.safeParse(arn).success).toBe(false);
    expect(() => parseRoleArn(arn)).toThrow(ValidationError);
  });

  it.each(accepted)('parseRoleArn reads %s', (_case, arn, role) => {
    expect(parseRoleArn(arn)).toEqual(role);
    expect(roleOfCaller(arn)).toEqual(role);
  });
});
