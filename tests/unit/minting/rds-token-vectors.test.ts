import { readFileSync } from 'node:fs';
import { Signer } from '@aws-sdk/rds-signer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

// The brief requires our RDS tokens to equal what `aws rds generate-db-auth-token`
// prints for the same credentials, clock and inputs. These vectors were
// produced by the AWS CLI; the SDK orders X-Amz-Security-Token and
// X-Amz-SignedHeaders differently, so parameters are compared as a set.

const vectorSchema = z.object({
  clock: z.iso.datetime(),
  accessKeyId: z.string().min(16),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).nullable().optional(),
  hostname: z.string().min(1),
  port: z.number().int().positive(),
  region: z.string().min(1),
  username: z.string().min(1),
  token: z.string().min(1),
});
const fixtureSchema = z.object({ source: z.string(), vectors: z.array(vectorSchema).min(1) });

const fixture = fixtureSchema.parse(
  JSON.parse(readFileSync(new URL('../../../../shared/fixtures/rds-token-vectors.json', import.meta.url), 'utf8')),
);

/** Splits `host:port/?a=1&b=2` into its prefix and its raw (still encoded) parameters. */
function split(token: string): { prefix: string; params: Record<string, string>; count: number } {
  const [prefix = '', query = ''] = token.split('?');
  const pairs = query.split('&').map((pair) => pair.split(/=(.*)/s));
  return { prefix, params: Object.fromEntries(pairs.map(([k = '', v = '']) => [k, v])), count: pairs.length };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RDS auth tokens match the AWS CLI', () => {
  it.each(fixture.vectors.map((v) => [`${v.username}@${v.hostname}:${v.port} at ${v.clock}`, v] as const))('%s', async (_, vector) => {
    // Only Date is faked: the signer reads the clock through `new Date()`.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(vector.clock));
    const signer = new Signer({
      hostname: vector.hostname,
      port: vector.port,
      region: vector.region,
      username: vector.username,
      credentials: {
        accessKeyId: vector.accessKeyId,
        secretAccessKey: vector.secretAccessKey,
        ...(vector.sessionToken ? { sessionToken: vector.sessionToken } : {}),
      },
    });

    const ours = split(await signer.getAuthToken());
    const cli = split(vector.token);

    expect(ours.prefix).toBe(`${vector.hostname}:${vector.port}/`);
    expect(ours.prefix).toBe(cli.prefix);
    expect(ours.count).toBe(cli.count);
    expect(ours.params).toEqual(cli.params);
    expect(ours.params['X-Amz-Signature']).toBe(cli.params['X-Amz-Signature']);
  });
});
