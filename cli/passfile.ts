import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The PostgreSQL password file `connect` hands psql instead of PGPASSWORD:
// libpq reads it at every connection attempt (psql's `\c`, its reconnect after
// the server dropped it), so rewriting it with a fresh token lets a reconnect
// succeed after the first token's 15 minutes. It lives in a fresh directory
// only this user can enter (mkdtemp: 0700), the file 0600 (libpq ignores a
// passfile others can read), created exclusively; a rewrite is a new file
// renamed over the old one, so libpq never reads half a line.

export interface PassfileEntry {
  /** What libpq matches: the `host` connection parameter and the dialled port, exactly. */
  host: string;
  port: number;
  user: string;
  token: string;
}

/** One `hostname:port:database:username:password` line, `:` and `\` escaped; any database. */
export function passfileLine(entry: PassfileEntry): string {
  const escape = (field: string) => field.replace(/[\\:]/g, '\\$&');
  return `${[escape(entry.host), String(entry.port), '*', escape(entry.user), escape(entry.token)].join(':')}\n`;
}

export interface Passfile {
  readonly dir: string;
  readonly path: string;
  /** Replaces the token, atomically. */
  write(entry: PassfileEntry): void;
  /** Removes the directory and everything in it; safe to call more than once. */
  remove(): void;
}

export function createPassfile(entry: PassfileEntry, parent: string = tmpdir()): Passfile {
  const dir = mkdtempSync(join(parent, 'latchkey-pg-'));
  const path = join(dir, 'pgpass');
  const writeExclusive = (file: string, text: string) => {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  };
  const passfile: Passfile = {
    dir,
    path,
    write(next) {
      const temporary = join(dir, `pgpass.${randomBytes(6).toString('hex')}`);
      try {
        writeExclusive(temporary, passfileLine(next));
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    writeExclusive(path, passfileLine(entry));
  } catch (error) {
    passfile.remove();
    throw error;
  }
  return passfile;
}
