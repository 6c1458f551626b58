import { describe, expect, it } from 'vitest';
import { freePort } from '../../dev/free-port.ts';
import { DirectSessionTerminator, chooseSessions } from '#shared/adapters/databases/session-terminator';
import { DatabaseUnreachableError } from '#shared/minting/errors';

// The direct path's adapter where the database cannot be reached: a short reason, never the token.
// (Against the real servers it runs in tests/e2e/database-sessions.test.ts.)

const TOKEN = 'host:5432/?Action=connect&DBUser=latchkey_control&X-Amz-Signature=SECRETSIGNATURE';
const grant = { databaseUser: 'app_ro', tag: 'lk-req_1', otherOpenTags: [] };

describe('DirectSessionTerminator', () => {
  it.each(['postgres', 'mariadb'] as const)('%s: a port nobody listens on is ECONNREFUSED, and the error holds no token', async (engine) => {
    const port = await freePort();
    const terminator = new DirectSessionTerminator({ hostaddr: '127.0.0.1', timeoutMs: 2_000 });
    const error = await terminator.terminate({ engine, host: 'db.abcdefghijkl.eu-central-1.rds.amazonaws.com', port, user: 'latchkey_control', token: TOKEN }, grant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as DatabaseUnreachableError).reason).toBe('ECONNREFUSED');
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('SECRETSIGNATURE');
  });
});

describe('chooseSessions', () => {
  const sessions = [
    { id: 1, tag: 'lk-req_1' },
    { id: 2, tag: 'lk-req_2' },
    { id: 3, tag: null },
    { id: 4, tag: 'psql' },
    { id: 5, tag: 'lk-req_gone' },
  ];
  it('takes its own tag, leaves open grants’ tags, and takes or reports the rest by whether another open grant uses the user', () => {
    expect(chooseSessions(sessions, { ...grant, otherOpenTags: ['lk-req_2'] })).toEqual({ terminated: [1], unattributed: [3, 4, 5] });
    expect(chooseSessions(sessions, grant)).toEqual({ terminated: [1, 2, 3, 4, 5], unattributed: [] });
  });
});
