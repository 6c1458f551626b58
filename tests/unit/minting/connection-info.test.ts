import { describe, expect, it } from 'vitest';
import { connectionInfo, RDS_CA_BUNDLE_URL, tunnelInfo } from '#shared/minting/minting';
import type { Engine } from '#shared/targets/target';

const TOKEN = 'orders.example.eu-central-1.rds.amazonaws.com:3306/?Action=connect&DBUser=app_ro&X-Amz-Security-Token=IQoJ%2Bsecret&X-Amz-Signature=abc123';
const TOKEN_VALUE = 'AAEAAZ+secret/token/value==';
const target = (engine: Engine) => ({ engine, endpoint: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: engine === 'postgres' ? 5432 : 3306 });
const session = { region: 'eu-central-1', instanceId: 'i-0123456789abcdef0', sessionId: 'lk-req_01-0a1b2c3d4e5f67890', streamUrl: 'wss://ssmmessages.eu-central-1.amazonaws.com/v1/data-channel/lk-req_01-0a1b2c3d4e5f67890?role=publish_subscribe', tokenValue: TOKEN_VALUE, localPortNumber: 15432 };

/** Splits a POSIX shell line into words, honouring '…' and "…" quoting (enough for what we generate). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: "'" | '"' | undefined;
  let inWord = false;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = undefined;
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

describe('connectionInfo', () => {
  it.each(['postgres', 'mysql', 'mariadb'] as const)('never puts the %s token on the command line', (engine) => {
    const info = connectionInfo(target(engine), 'app_ro', TOKEN, '2030-01-15T09:15:00.000Z');

    expect(info.token).toBe(TOKEN);
    expect(info.command).not.toContain(TOKEN);
    expect(info.command).not.toContain('X-Amz-Signature');
    expect(info.command).not.toMatch(/--password/);
    expect(info.command).toContain('"$LATCHKEY_DB_TOKEN"');
    expect(info.notes.join('\n')).not.toContain(TOKEN);
  });

  it('gives psql the password through PGPASSWORD and verifies the server against the RDS CA', () => {
    const info = connectionInfo(target('postgres'), 'app_ro', TOKEN, '2030-01-15T09:15:00.000Z');

    expect(info).toMatchObject({ host: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', port: 5432, user: 'app_ro', sslmode: 'verify-full', caBundleUrl: RDS_CA_BUNDLE_URL });
    expect(RDS_CA_BUNDLE_URL).toBe('https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem');
    expect(info.command).toBe(
      `PGPASSWORD="$LATCHKEY_DB_TOKEN" psql 'host=orders.abcdefghijkl.eu-central-1.rds.amazonaws.com port=5432 dbname=postgres user=app_ro sslmode=verify-full sslrootcert=global-bundle.pem'`,
    );
  });

  it.each([
    ['mysql', '--ssl-mode=VERIFY_IDENTITY'],
    ['mariadb', '--ssl-verify-server-cert'],
  ] as const)('gives %s the password through MYSQL_PWD, with the cleartext plugin and host verification', (engine, verify) => {
    const info = connectionInfo(target(engine), 'app_ro', TOKEN, '2030-01-15T09:15:00.000Z');

    expect(info.command).toBe(
      `MYSQL_PWD="$LATCHKEY_DB_TOKEN" mysql --host=orders.abcdefghijkl.eu-central-1.rds.amazonaws.com --port=3306 --user=app_ro --ssl-ca=global-bundle.pem ${verify} --enable-cleartext-plugin`,
    );
    expect(info.notes.join('\n')).toMatch(/MYSQL_PWD is deprecated/);
  });
});

describe('tunnelInfo', () => {
  it('hands the StartSession response to session-manager-plugin in the order the AWS CLI uses', () => {
    const tunnel = tunnelInfo(target('postgres'), 'app_ro', session);
    const words = shellWords(tunnel.pluginCommandLegacy);

    expect(words).toHaveLength(7);
    const [plugin, response, region, operation, profile, parameters, endpoint] = words;
    expect(plugin).toBe('session-manager-plugin');
    expect(JSON.parse(response!)).toEqual({ SessionId: session.sessionId, TokenValue: TOKEN_VALUE, StreamUrl: session.streamUrl });
    expect([region, operation, profile]).toEqual(['eu-central-1', 'StartSession', '']);
    expect(JSON.parse(parameters!)).toEqual({
      Target: 'i-0123456789abcdef0',
      DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost',
      Parameters: { host: ['orders.abcdefghijkl.eu-central-1.rds.amazonaws.com'], portNumber: ['5432'], localPortNumber: ['15432'] },
    });
    expect(endpoint).toBe('https://ssm.eu-central-1.amazonaws.com');
  });

  it('passes the response through AWS_SSM_START_SESSION_RESPONSE for current plugins, keeping it out of argv', () => {
    const tunnel = tunnelInfo(target('postgres'), 'app_ro', session);
    const words = shellWords(tunnel.pluginCommand);

    expect(words[0]).toMatch(/^AWS_SSM_START_SESSION_RESPONSE=\{/);
    expect(JSON.parse(words[0]!.slice('AWS_SSM_START_SESSION_RESPONSE='.length))).toMatchObject({ TokenValue: TOKEN_VALUE });
    expect(words.slice(1, 6)).toEqual(['session-manager-plugin', 'AWS_SSM_START_SESSION_RESPONSE', 'eu-central-1', 'StartSession', '']);
  });

  it('connects psql to 127.0.0.1 while verifying the certificate for the endpoint name', () => {
    const tunnel = tunnelInfo(target('postgres'), 'app_ro', session);

    expect(tunnel.command).toBe(
      `PGPASSWORD="$LATCHKEY_DB_TOKEN" psql 'host=orders.abcdefghijkl.eu-central-1.rds.amazonaws.com hostaddr=127.0.0.1 port=15432 dbname=postgres user=app_ro sslmode=verify-full sslrootcert=global-bundle.pem'`,
    );
    expect(tunnel.hostsEntry).toBe('127.0.0.1 orders.abcdefghijkl.eu-central-1.rds.amazonaws.com');
  });

  it('connects mysql by the endpoint name on the local port, with the /etc/hosts note', () => {
    const tunnel = tunnelInfo(target('mysql'), 'app_ro', { ...session, localPortNumber: 13306 });

    expect(tunnel.command).toContain('--host=orders.abcdefghijkl.eu-central-1.rds.amazonaws.com --port=13306');
    expect(tunnel.notes.join('\n')).toContain('/etc/hosts');
  });

  it.each(['postgres', 'mysql', 'mariadb'] as const)('keeps the RDS token out of every %s tunnel line; the TokenValue only in the plugin command', (engine) => {
    const tunnel = tunnelInfo(target(engine), 'app_ro', session);

    for (const line of [tunnel.pluginCommand, tunnel.pluginCommandLegacy, tunnel.command, tunnel.hostsEntry, ...tunnel.notes]) expect(line).not.toContain(TOKEN);
    for (const line of [tunnel.command, tunnel.hostsEntry, ...tunnel.notes]) expect(line).not.toContain(TOKEN_VALUE);
  });
});
