import { describe, expect, it } from 'vitest';
import { createdUser, localStatements } from '#dev/databases/local-sql';
import { createUserStatements } from '#shared/integrations/setup-sql';

// The local MariaDB runs what Latchkey emits for the customer's DBA with one
// clause swapped (it has no AWSAuthenticationPlugin); PostgreSQL runs it as is.
// Built from the emitter itself, so a change there shows up here.

describe('the emitted CREATE USER SQL, made runnable on the local servers', () => {
  it('runs PostgreSQL’s statements unchanged', () => {
    const emitted = createUserStatements('postgres', 'app_ro');
    expect(localStatements('postgres', emitted, 'latchkey-x-postgres')).toEqual(emitted);
  });

  it('swaps only the AWS plugin clause for the PAM service on MariaDB, TLS still required', () => {
    const emitted = createUserStatements('mariadb', 'app_ro');
    const local = localStatements('mariadb', emitted, 'latchkey-x-mariadb');
    expect(local[0]).toBe(emitted[0]?.replace("IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'", "IDENTIFIED VIA pam USING 'latchkey-x-mariadb' REQUIRE SSL"));
    expect(local[0]).toMatch(/^CREATE USER 'app_ro'@'%' IDENTIFIED VIA pam USING 'latchkey-x-mariadb' REQUIRE SSL;$/);
    expect(local.slice(1)).toEqual(emitted.slice(1));
  });

  it('refuses a MariaDB CREATE USER without the RDS clause rather than make a user with no password check', () => {
    expect(() => localStatements('mariadb', ["CREATE USER 'x'@'%';"], 's')).toThrow(/not the emitted RDS IAM CREATE USER/);
  });

  it('names the user each CREATE USER makes, so a user that exists is not created twice', () => {
    expect(createUserStatements('postgres', 'App_Ro').map(createdUser)).toEqual(['App_Ro', undefined]);
    expect(createUserStatements('mariadb', 'app_rw').map(createdUser)).toEqual(['app_rw', undefined]);
  });
});
