import { describe, expect, it } from 'vitest';
import { planClient } from '../../../cli/database-client.ts';
import { pluginArgs } from '../../../cli/tunnel.ts';
import { startSessionParameters } from '../../../shared/minting/connection-info.ts';

const TOKEN = 'latchkey-postgres.example.rds.amazonaws.com:5432/?Action=connect&X-Amz-Signature=abc';
const base = { host: 'orders.abcdefghijkl.eu-central-1.rds.amazonaws.com', user: 'app_ro', caBundle: '/tmp/ca.pem', extraArgs: [] as string[] };

describe('the database client connect runs', () => {
  it('psql: verify-full against the endpoint name, the token in the password file PGPASSFILE names, not in argv', () => {
    const plan = planClient({
      ...base, engine: 'postgres', port: 5432, secret: { passfile: '/tmp/latchkey-pg-x/pgpass' },
      baseEnv: { PATH: '/usr/bin', LATCHKEY_TOKEN: 'api-bearer', MYSQL_PWD: 'old', PGPASSWORD: 'stale', PGPASSFILE: '/home/me/.pgpass' }, extraArgs: ['-c', 'select 1'],
    });
    expect(plan.command).toBe('psql');
    expect(plan.args).toEqual([`host=${base.host} port=5432 dbname=postgres user=app_ro sslmode=verify-full sslrootcert=/tmp/ca.pem`, '-c', 'select 1']);
    expect(plan.args.join(' ')).not.toContain(TOKEN);
    expect(plan.env.PGPASSFILE).toBe('/tmp/latchkey-pg-x/pgpass');
    expect(plan.env.PGPASSWORD).toBeUndefined();
    // The CLI's own bearer token, and stale passwords, are not handed to the client.
    expect(plan.env.LATCHKEY_TOKEN).toBeUndefined();
    expect(plan.env.MYSQL_PWD).toBeUndefined();
    expect(plan.env.PATH).toBe('/usr/bin');
  });

  it('psql through a tunnel dials 127.0.0.1 at the local port and still verifies the endpoint name', () => {
    const plan = planClient({ ...base, engine: 'postgres', port: 40001, hostaddr: '127.0.0.1', database: 'my db', secret: { passfile: '/p' }, baseEnv: {} });
    expect(plan.args[0]).toBe(`host=${base.host} hostaddr=127.0.0.1 port=40001 dbname='my db' user=app_ro sslmode=verify-full sslrootcert=/tmp/ca.pem`);
  });

  it("MariaDB's client: --ssl-verify-server-cert, the token in MYSQL_PWD", () => {
    const plan = planClient({ ...base, engine: 'mysql', port: 3306, secret: { token: TOKEN }, baseEnv: {}, addEnv: { LD_PRELOAD: 'libnss_wrapper.so' }, isMariadbClient: () => true });
    expect(plan.args).toEqual([`--host=${base.host}`, '--port=3306', '--user=app_ro', '--ssl-ca=/tmp/ca.pem', '--ssl-verify-server-cert']);
    expect(plan.env).toMatchObject({ MYSQL_PWD: TOKEN, LD_PRELOAD: 'libnss_wrapper.so' });
    expect(plan.env.PGPASSWORD).toBeUndefined();
    expect(plan.env.PGPASSFILE).toBeUndefined();
  });

  it("Oracle's mysql: --ssl-mode=VERIFY_IDENTITY and the cleartext plugin RDS needs", () => {
    const plan = planClient({ ...base, engine: 'mysql', port: 3306, secret: { token: TOKEN }, baseEnv: {}, isMariadbClient: () => false });
    expect(plan.args).toContain('--ssl-mode=VERIFY_IDENTITY');
    expect(plan.args).toContain('--enable-cleartext-plugin');
    expect(plan.args.join(' ')).not.toContain(TOKEN);
  });

  it('tags the connection with the grant when the credentials carry a session tag, as the printed command does', () => {
    const pg = planClient({ ...base, engine: 'postgres', port: 5432, secret: { passfile: '/p' }, baseEnv: {}, sessionTag: 'lk-req_01' });
    expect(pg.args[0]).toMatch(/ application_name=lk-req_01$/);
    const my = planClient({ ...base, engine: 'mysql', port: 3306, secret: { token: TOKEN }, baseEnv: {}, isMariadbClient: () => true, sessionTag: 'lk-req_01' });
    expect(my.args).toContain("--init-command=SET @latchkey_grant='lk-req_01'");
    const untagged = planClient({ ...base, engine: 'postgres', port: 5432, secret: { passfile: '/p' }, baseEnv: {} });
    expect(untagged.args[0]).not.toContain('application_name');
  });
});

describe('the session-manager-plugin argv', () => {
  it('is the AWS CLI\'s: the response by variable name, never the TokenValue', () => {
    const args = pluginArgs({ region: 'eu-central-1', endpoint: base.host, port: 5432, bastionInstanceId: 'i-0123456789abcdef0' }, 40001);
    expect(args.slice(0, 4)).toEqual(['AWS_SSM_START_SESSION_RESPONSE', 'eu-central-1', 'StartSession', '']);
    expect(JSON.parse(args[4]!)).toEqual({
      Target: 'i-0123456789abcdef0',
      DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost',
      Parameters: { host: [base.host], portNumber: ['5432'], localPortNumber: ['40001'] },
    });
    expect(args[5]).toBe('https://ssm.eu-central-1.amazonaws.com');
  });

  it('asks for the same session parameters the API prints in pluginCommand', () => {
    const target = { engine: 'postgres' as const, endpoint: base.host, port: 5432 };
    const args = pluginArgs({ ...target, region: 'eu-central-1', bastionInstanceId: 'i-0123456789abcdef0' }, 40001);
    expect(JSON.parse(args[4]!)).toEqual(startSessionParameters(target, 'i-0123456789abcdef0', 40001));
  });
});
