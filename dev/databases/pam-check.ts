import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// How the local servers judge a password the way RDS judges an IAM token:
// both hand it to PAM (PostgreSQL's `pam` method, MariaDB's auth_pam), and a
// PAM service of ours runs pam_script, which runs a small sh check that asks
// the AWS stand-in's RDS verifier over HTTP. pam_script, not pam_exec: pam_exec
// cuts passwords at 511 bytes and tokens are ~850 and more (REAL-DATABASES.md).
//
// A server cannot know which host name the client dialled; RDS knows its own.
// So each server gets its own service whose PAM line names the endpoint it
// plays (hostname, port) and the verifier, passed by pam_script to the check
// as arguments. Service files live in /etc/pam.d (PAM reads nowhere else) and
// are named after the stack's home, so two stacks never share one.

export const PAM_DIR = '/etc/pam.d';
const PREFIX = 'latchkey-';
const HOME_MARK = '# latchkey home: ';

// The token reaches curl on stdin via jq's env, never argv (`ps` shows argv to
// every user). The log line says who and why, never the token.
const CHECK_SCRIPT = `#!/bin/sh
# pam_script_auth for the Latchkey local stack (written by dev/databases/pam-check.ts).
# PAM_USER and PAM_AUTHTOK come from pam_script; the PAM line's key=value words are arguments.
for arg in "$@"; do
  case "$arg" in
    verifier=*) verifier=\${arg#verifier=} ;;
    hostname=*) hostname=\${arg#hostname=} ;;
    port=*) port=\${arg#port=} ;;
    log=*) log=\${arg#log=} ;;
  esac
done
verdict=$(jq -nc --arg hostname "$hostname" --argjson port "$port" \\
    '{token: (env.PAM_AUTHTOK // ""), hostname: $hostname, port: $port, dbUser: (env.PAM_USER // "")}' \\
  | curl -sS --max-time 5 -H 'content-type: application/json' --data-binary @- "$verifier/_standin/verify-rds-token" 2>&1) \\
  || verdict=$(jq -nc --arg detail "$verdict" '{ok: false, reason: "verifier-unreachable", detail: $detail}')
if [ -n "\${log:-}" ]; then
  printf '%s' "$verdict" | jq -r --arg user "\${PAM_USER:-}" \\
    '"\\(now | floor | todate) \\($user) \\(if .ok == true then "accepted" else "refused \\(.reason // "bad-answer"): \\(.detail // .message // "")" end)"' >>"$log" 2>/dev/null
fi
printf '%s' "$verdict" | jq -e '.ok == true' >/dev/null 2>&1
`;

export interface PamEndpoint {
  engine: 'postgres' | 'mariadb';
  hostname: string;
  port: number;
  /** Where the check appends one line per attempt: who, accepted or refused and why. */
  logFile: string;
}

export interface PamChecks {
  serviceFor(engine: PamEndpoint['engine']): string;
  install(endpoint: PamEndpoint): string;
  remove(): void;
}

export function pamChecks(home: string, verifierUrl: string): PamChecks {
  if (/\s/.test(home)) throw new Error(`the local databases need a home path without spaces (PAM arguments cannot quote them): ${home}`);
  const id = createHash('sha256').update(home).digest('hex').slice(0, 12);
  // pam_script runs <dir>/pam_script_auth; as the server's user for PostgreSQL, as root for MariaDB.
  const scriptDir = join(home, 'pam');
  mkdirSync(scriptDir, { recursive: true, mode: 0o755 });
  chmodSync(scriptDir, 0o755);
  const script = join(scriptDir, 'pam_script_auth');
  writeFileSync(script, CHECK_SCRIPT, { mode: 0o755 });
  chmodSync(script, 0o755);
  const installed: string[] = [];
  const serviceFor = (engine: string) => `${PREFIX}${id}-${engine}`;
  return {
    serviceFor,
    install(endpoint) {
      const service = serviceFor(endpoint.engine);
      const file = join(PAM_DIR, service);
      writeFileSync(
        file,
        [
          `${HOME_MARK}${home}`,
          `# ${endpoint.engine} of the local stack plays ${endpoint.hostname}:${endpoint.port}; the AWS stand-in judges each token.`,
          `auth required pam_script.so dir=${scriptDir} verifier=${verifierUrl} hostname=${endpoint.hostname} port=${endpoint.port} log=${endpoint.logFile}`,
          'account required pam_permit.so',
          '',
        ].join('\n'),
        { mode: 0o644 },
      );
      installed.push(file);
      return service;
    },
    remove() {
      for (const file of installed.splice(0)) rmSync(file, { force: true });
    },
  };
}

/** A stack that was killed leaves its service files behind: drop those whose home is gone. */
export function removeStalePamServices(): void {
  let names: string[];
  try {
    names = readdirSync(PAM_DIR).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const file = join(PAM_DIR, name);
    const home = readFileSync(file, 'utf8').split('\n')[0]?.slice(HOME_MARK.length);
    if (home && !existsSync(home)) rmSync(file, { force: true });
  }
}
