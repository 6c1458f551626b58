import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalMariadb, LocalPostgres } from './databases/local-database.ts';

// <home>/stack.json tells tools started later (the token CLI, scripts) where
// the running stack listens. It holds URLs only, never a key or a token.

export const STACK_FILE = 'stack.json';
export const DEFAULT_API_PORT = 4480;
/** The issuer listens next to the API: `--port 4480` means an issuer on 4481. */
export const DEFAULT_ISSUER = `http://127.0.0.1:${DEFAULT_API_PORT + 1}`;
export const DEFAULT_AUDIENCE = 'latchkey';

export interface StackInfo {
  ready: true;
  apiUrl: string;
  /** The web console (console/), served with the API under /api/. */
  consoleUrl?: string;
  issuer: string;
  audience: string;
  dynamodbEndpoint: string;
  stsUrl?: string;
  /** The Slack/SES/Secrets Manager/webhook stand-in (dev/notify-standin). */
  notifyUrl?: string;
  home: string;
  mainTable: string;
  logTable: string;
  region: string;
  /** The local databases (absent with --no-databases): RDS-like endpoint, real address, admin sockets. */
  postgres?: LocalPostgres;
  mariadb?: LocalMariadb;
  /** The local CA their certificates chain to. */
  caBundle?: string;
  /** Environment for a client process so the RDS names resolve to 127.0.0.1 (nss_wrapper). */
  clientEnv?: Record<string, string>;
  /** The demo tenant `npm start` seeded (absent with --no-demo or --no-databases). */
  demo?: { tenant: string; targets: { name: string; targetId: string; engine: string; bastionInstanceId?: string }[]; notices?: string[] };
}

export function writeStackFile(home: string, info: StackInfo): void {
  writeFileSync(join(home, STACK_FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

export function readStackFile(home: string): StackInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(home, STACK_FILE), 'utf8')) as StackInfo;
  } catch {
    return undefined;
  }
}

export function removeStackFile(home: string): void {
  rmSync(join(home, STACK_FILE), { force: true });
}
