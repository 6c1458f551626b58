import { readFileSync } from 'node:fs';

// The servers run as the users Debian's packages made for them (postgres,
// mysql): PostgreSQL refuses to run as root, and MariaDB's PAM helper
// (auth_pam_tool_dir) is readable by mysql only.

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function systemUser(name: string): SystemUser {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no system user "${name}": run bash scripts/ensure-databases.sh`);
  return { name, uid: Number(uid), gid: Number(gid) };
}
