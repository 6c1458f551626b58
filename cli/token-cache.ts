import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from './paths.ts';

// The login, kept between runs in <config dir>/sessions.json: one session per
// API URL (a developer may use the local stack and a deployed one), and which
// was used last. The file holds bearer and refresh tokens, so it is created
// 0600 in a 0700 folder, written whole to a temporary file and renamed (never
// half-written), and tightened if someone loosened it.

export interface Session {
  apiUrl: string;
  issuer: string;
  clientId: string;
  tokenEndpoint: string;
  accessToken: string;
  refreshToken?: string;
  /** ISO instant the access token stops being accepted. */
  expiresAt: string;
  subject?: string;
  tenant?: string;
}

interface SessionFile {
  version: 1;
  current?: string;
  sessions: Record<string, Session>;
}

export const SESSION_FILE = 'sessions.json';

export class TokenCache {
  readonly path: string;

  constructor(readonly dir: string = configDir()) {
    this.path = join(dir, SESSION_FILE);
  }

  get(apiUrl: string): Session | undefined {
    return this.read().sessions[apiUrl];
  }

  /** The API URL of the last login, for commands given none. */
  current(): string | undefined {
    return this.read().current;
  }

  save(session: Session): void {
    const file = this.read();
    file.sessions[session.apiUrl] = session;
    file.current = session.apiUrl;
    this.write(file);
  }

  /** Forgets the session for `apiUrl`; true if there was one. */
  remove(apiUrl: string): boolean {
    const file = this.read();
    if (!file.sessions[apiUrl]) return false;
    delete file.sessions[apiUrl];
    if (file.current === apiUrl) delete file.current;
    if (Object.keys(file.sessions).length === 0) rmSync(this.path, { force: true });
    else this.write(file);
    return true;
  }

  private read(): SessionFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sessions: {} };
      throw error;
    }
    if ((statSync(this.path).mode & 0o077) !== 0) chmodSync(this.path, 0o600);
    try {
      const parsed = JSON.parse(text) as SessionFile;
      if (parsed.version === 1 && parsed.sessions && typeof parsed.sessions === 'object') return parsed;
    } catch {
      // unreadable: treated as no login; the next login rewrites it
    }
    return { version: 1, sessions: {} };
  }

  private write(file: SessionFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if ((statSync(this.dir).mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
    const temporary = `${this.path}.${process.pid}.tmp`;
    rmSync(temporary, { force: true });
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, this.path);
  }
}
