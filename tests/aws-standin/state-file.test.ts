import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient, StartSessionCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { startAwsStandin, type AwsStandin } from '#dev/aws-standin/server';
import { loadState, saveState, STATE_FILE, StateFileError } from '#dev/aws-standin/state-file';
import { BROKER_CREDENTIALS, CUSTOMER_ROLE_ARN, DB, EXTERNAL_ID, INSTANCE_ID, PORT_FORWARD_DOC, REGION, sessionPolicy, startWorld } from './world.ts';

// The stand-in's state file: a second stand-in reading it behaves as the
// first would have, and a file it cannot read is refused with a way out.

const dirs: string[] = [];
const standins: AwsStandin[] = [];
afterEach(async () => {
  for (const s of standins.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-state-'));
  dirs.push(dir);
  return dir;
};

describe('the stand-in state file', () => {
  it('lets a restarted stand-in honour the trust, credentials and sessions of the first', async () => {
    const dir = newDir();
    const world = await startWorld();
    standins.push(world.standin);
    const before = await world.sts().send(new AssumeRoleCommand({
      RoleArn: CUSTOMER_ROLE_ARN, RoleSessionName: 'req-saved', ExternalId: EXTERNAL_ID, Policy: JSON.stringify(sessionPolicy(new Date(Date.now() + 1800_000))),
    }));
    const minted = { accessKeyId: before.Credentials!.AccessKeyId!, secretAccessKey: before.Credentials!.SecretAccessKey!, sessionToken: before.Credentials!.SessionToken! };
    const session = await world.ssm(minted).send(new StartSessionCommand({ Target: INSTANCE_ID, DocumentName: PORT_FORWARD_DOC, Parameters: { host: [DB.hostname], portNumber: ['5432'] } }));
    saveState(dir, world.state);

    const restored = loadState(dir)!;
    const again = await startAwsStandin({ state: restored });
    standins.push(again);
    const config = (credentials: typeof minted) => ({ endpoint: again.url, region: REGION, credentials, maxAttempts: 1 });
    // The role and its trust survived: the broker can assume it again, with the same role id.
    const after = await new STSClient(config(BROKER_CREDENTIALS)).send(new AssumeRoleCommand({ RoleArn: CUSTOMER_ROLE_ARN, RoleSessionName: 'req-after', ExternalId: EXTERNAL_ID }));
    expect(after.AssumedRoleUser?.AssumedRoleId?.split(':')[0]).toBe(before.AssumedRoleUser?.AssumedRoleId?.split(':')[0]);
    // So did the credentials minted before, and the session they started (dates as dates).
    const second = await new SSMClient(config(minted)).send(new StartSessionCommand({ Target: INSTANCE_ID, DocumentName: PORT_FORWARD_DOC }));
    expect(second.SessionId).toMatch(/^req-saved-/);
    expect(restored.sessions.get(session.SessionId!)).toMatchObject({ status: 'Connected', startDate: expect.any(Date) });
    expect(restored.findDatabase(DB.hostname, DB.port)).toMatchObject({ resourceId: DB.resourceId });
  });

  it('has no file to read on a first start', () => {
    expect(loadState(newDir())).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"format":'],
    ['another format', JSON.stringify({ format: 2, roles: [] })],
    ['a principal with no secret', JSON.stringify({ format: 1, roles: [], principals: [{ kind: 'user', accessKeyId: 'AKIA', arn: 'a', account: '1', userId: 'u', tags: {}, userName: 'n' }], sessions: [], instances: [], databases: [] })],
  ])('refuses a file that is %s, saying how to start over', (_name, text) => {
    const dir = newDir();
    writeFileSync(join(dir, STATE_FILE), text);
    expect(() => loadState(dir)).toThrow(StateFileError);
    expect(() => loadState(dir)).toThrow(/start with --reset to delete it/);
  });
});
