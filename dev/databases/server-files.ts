import { chmodSync, chownSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerCertificate } from './local-ca.ts';
import type { SystemUser } from './system-user.ts';

// What both servers need on disk before they start, owned by the user they run as.

/** Folders only the server's user may enter. */
export function ownedDirs(user: SystemUser, ...dirs: string[]): void {
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownSync(dir, user.uid, user.gid);
  }
}

/** The server's certificate and key in `dir`: both servers insist on a key only their user can read. */
export function installCertificate(dir: string, certificate: ServerCertificate, user: SystemUser): { cert: string; key: string } {
  const cert = join(dir, 'server.pem');
  const key = join(dir, 'server-key.pem');
  copyFileSync(certificate.certFile, cert);
  copyFileSync(certificate.keyFile, key);
  for (const [file, mode] of [[cert, 0o644], [key, 0o600]] as const) {
    chownSync(file, user.uid, user.gid);
    chmodSync(file, mode);
  }
  return { cert, key };
}
