import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPassfile, passfileLine } from '../../../cli/passfile.ts';

const TOKEN = 'orders.abc.eu-central-1.rds.amazonaws.com:5432/?Action=connect&DBUser=app_ro&X-Amz-Signature=abc';
const entry = { host: 'orders.abc.eu-central-1.rds.amazonaws.com', port: 5432, user: 'app_ro', token: TOKEN };
const parents: string[] = [];
const parent = () => {
  const dir = mkdtempSync(join(tmpdir(), 'passfile-test-'));
  parents.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of parents.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the password file line', () => {
  it('is host:port:*:user:token, with the colons in the token escaped', () => {
    expect(passfileLine(entry)).toBe(`${entry.host}:5432:*:app_ro:${TOKEN.replace(':5432', '\\:5432')}\n`);
  });

  it('escapes backslashes before colons, in every field', () => {
    expect(passfileLine({ host: 'h:1', port: 1, user: 'a\\b', token: 'x\\:y' })).toBe('h\\:1:1:*:a\\\\b:x\\\\\\:y\n');
  });
});

describe('the password file', () => {
  it('is a 0600 file in a fresh 0700 directory, holding the line', () => {
    const file = createPassfile(entry, parent());
    expect(statSync(file.dir).mode & 0o777).toBe(0o700);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(file.path, 'utf8')).toBe(passfileLine(entry));
    expect(readdirSync(file.dir)).toEqual(['pgpass']);
  });

  it('is rewritten by a rename: the new token, still 0600, no temporary file left', () => {
    const file = createPassfile(entry, parent());
    const before = statSync(file.path).ino;
    file.write({ ...entry, token: 'fresh-token' });
    expect(readFileSync(file.path, 'utf8')).toBe(`${entry.host}:5432:*:app_ro:fresh-token\n`);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(file.path).ino).not.toBe(before);
    expect(readdirSync(file.dir)).toEqual(['pgpass']);
  });

  it('is gone with its directory when removed, and removing twice is harmless', () => {
    const file = createPassfile(entry, parent());
    file.remove();
    expect(existsSync(file.dir)).toBe(false);
    expect(() => file.remove()).not.toThrow();
  });

  it('gets a directory of its own each time', () => {
    const where = parent();
    const a = createPassfile(entry, where);
    const b = createPassfile(entry, where);
    expect(a.dir).not.toBe(b.dir);
  });
});
