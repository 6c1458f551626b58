import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The local databases present certificates for RDS host names, issued by a CA
// made once under <home>/tls with openssl. Clients trust it the way they trust
// RDS's global bundle: `sslrootcert=`/`--ssl-ca=` pointing at ca.pem. It is
// kept between runs (it is not data) so a developer who trusts it once keeps
// trusting it; a server certificate is remade when its names change.

export interface ServerCertificate {
  certFile: string;
  keyFile: string;
}

export interface LocalCa {
  /** The CA certificate: what `sslrootcert` / `--ssl-ca` must name. */
  bundle: string;
  issue(name: string, hostnames: string[]): ServerCertificate;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

export function localCa(home: string): LocalCa {
  const dir = join(home, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const bundle = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca-key.pem');
  if (!existsSync(bundle) || !existsSync(caKey)) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', bundle,
      '-days', '3650', '-subj', '/O=Latchkey local/CN=Latchkey local RDS CA', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  }
  return {
    bundle,
    issue(name, hostnames) {
      const certFile = join(dir, `${name}.pem`);
      const keyFile = join(dir, `${name}-key.pem`);
      const namesFile = join(dir, `${name}.names`);
      const names = hostnames.join(',');
      if (existsSync(certFile) && existsSync(keyFile) && existsSync(namesFile) && readFileSync(namesFile, 'utf8') === names) return { certFile, keyFile };
      const extFile = join(dir, `${name}.ext`);
      // Clients verify the name against subjectAltName (libpq verify-full, MariaDB --ssl-verify-server-cert).
      writeFileSync(extFile, `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
      const csr = join(dir, `${name}.csr`);
      openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${hostnames[0]}`], dir);
      openssl(['x509', '-req', '-in', csr, '-CA', bundle, '-CAkey', caKey, '-CAcreateserial', '-days', '825', '-out', certFile, '-extfile', extFile], dir);
      writeFileSync(namesFile, names);
      return { certFile, keyFile };
    },
  };
}
