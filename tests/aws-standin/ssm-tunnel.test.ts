import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { StartSessionCommand, TerminateSessionCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '#dev/free-port';
import { openStream, StreamRefusedError } from '#dev/tunnel-client';
import { canConnect, echoServer, spawnTunnel, talk } from '../support/tunnel-process.ts';
import {
  CUSTOMER_ACCOUNT, CUSTOMER_ROLE_ARN, DB, EXTERNAL_ID, INSTANCE_ID, PORT_FORWARD_DOC, REGION, sessionPolicy, startWorld, type World,
} from './world.ts';

// A port-forwarding session that behaves like one: StartSession through the
// SDK, dev/tunnel.ts as its own process forwarding real TCP to the database's
// address, and TerminateSession cutting what is open and refusing what comes.

let world: World;
let echo: Awaited<ReturnType<typeof echoServer>>;
beforeEach(async () => {
  world = await startWorld();
  echo = await echoServer();
  // The database's RDS name resolves nowhere: the stand-in dials its local address, as a bastion dials VPC DNS.
  world.state.addDatabase({ ...DB, region: REGION, account: CUSTOMER_ACCOUNT, reachableAt: { host: '127.0.0.1', port: echo.port } });
});
afterEach(async () => {
  await world.standin.close();
  await echo.close();
});

async function startPortForwarding(localPort: number) {
  const minted = await world.sts().send(new AssumeRoleCommand({
    RoleArn: CUSTOMER_ROLE_ARN, RoleSessionName: 'req-tunnel', ExternalId: EXTERNAL_ID, DurationSeconds: 3600,
    Policy: JSON.stringify(sessionPolicy(new Date(Date.now() + 30 * 60_000))),
  }));
  const c = minted.Credentials!;
  const ssm = world.ssm({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  const out = await ssm.send(new StartSessionCommand({
    Target: INSTANCE_ID, DocumentName: PORT_FORWARD_DOC,
    Parameters: { host: [DB.hostname], portNumber: [String(DB.port)], localPortNumber: [String(localPort)] },
  }));
  return { ssm, sessionId: out.SessionId!, streamUrl: out.StreamUrl!, token: out.TokenValue! };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as StreamRefusedError);

describe('port forwarding through the stand-in', () => {
  it('forwards TCP to host:portNumber while the session is open, and TerminateSession cuts it', async () => {
    const localPort = await freePort();
    const session = await startPortForwarding(localPort);
    const tunnel = spawnTunnel(['--stream-url', session.streamUrl, '--local-port', String(localPort)], { LATCHKEY_SSM_TOKEN: session.token });
    await tunnel.ready;

    const first = await talk(localPort);
    const second = await talk(localPort);
    expect(await first.say('SELECT 1;')).toBe('SELECT 1;');
    expect(await second.say('hello')).toBe('hello');
    expect(echo.sockets.size).toBe(2);

    await session.ssm.send(new TerminateSessionCommand({ SessionId: session.sessionId }));

    // Both connections are cut at once, at both ends, and the tunnel says why and exits non-zero.
    await Promise.all([first.closed, second.closed]);
    const exit = await tunnel.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain(`Session ${session.sessionId} was terminated.`);
    await expect.poll(() => echo.sockets.size).toBe(0);
    expect(await canConnect(localPort)).toBe(false);
    // Nor does the stand-in admit a new stream for the session, with the right token.
    expect(await refusal(openStream(session, 'data'))).toMatchObject({ status: 410, code: 'session_terminated' });
    expect(await refusal(openStream(session, 'control'))).toMatchObject({ status: 410 });
  });

  it('refuses a wrong or absent TokenValue, and a tunnel started with one exits 1 before listening', async () => {
    const localPort = await freePort();
    const session = await startPortForwarding(localPort);
    const other = await startPortForwarding(await freePort());

    expect(await refusal(openStream({ ...session, token: other.token }, 'data'))).toMatchObject({ status: 403, code: 'token_invalid' });
    expect(await refusal(openStream({ ...session, token: '' }, 'data'))).toMatchObject({ status: 401, code: 'token_missing' });

    const wrong = spawnTunnel(['--stream-url', session.streamUrl, '--local-port', String(localPort)], { LATCHKEY_SSM_TOKEN: other.token });
    expect(await wrong.exited).toMatchObject({ code: 1, stderr: expect.stringContaining("The TokenValue is not this session's.") });
    const absent = spawnTunnel(['--stream-url', session.streamUrl, '--local-port', String(localPort)]);
    expect(await absent.exited).toMatchObject({ code: 1, stderr: expect.stringContaining('set $LATCHKEY_SSM_TOKEN') });
    expect(await canConnect(localPort)).toBe(false);
    expect(echo.sockets.size).toBe(0);
  });

  it('answers a stream to an unreachable host:portNumber with 502, naming it', async () => {
    const session = await startPortForwarding(await freePort());
    await echo.close();
    const error = await refusal(openStream(session, 'data'));
    expect(error).toMatchObject({ status: 502, code: 'remote_unreachable' });
    expect(error?.message).toBe(`${INSTANCE_ID} could not reach ${DB.hostname}:${DB.port}: ECONNREFUSED`);
  });

  it('cuts every stream when the stand-in stops, and the tunnel exits 3', async () => {
    const localPort = await freePort();
    const session = await startPortForwarding(localPort);
    const tunnel = spawnTunnel(['--stream-url', session.streamUrl, '--local-port', String(localPort)], { LATCHKEY_SSM_TOKEN: session.token });
    await tunnel.ready;
    const conversation = await talk(localPort);
    expect(await conversation.say('x')).toBe('x');

    await world.standin.close();

    await conversation.closed;
    expect(await tunnel.exited).toMatchObject({ code: 3, stderr: expect.stringContaining('The AWS stand-in stopped.') });
  });
});
