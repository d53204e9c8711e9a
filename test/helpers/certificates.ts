/**
 * A throwaway PKI for the TLS tests, made with the openssl command line in a temporary folder
 * (removed before returning): a CA, a server certificate for 127.0.0.1 / 127.0.0.2 / localhost
 * signed by it, a client certificate signed by it (RFC 8705 §2.1 PKI), and a self-signed client
 * certificate (§2.2). EC P-256 keys: quick to make. Valid one day.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestPki {
  ca: KeyPair;
  server: KeyPair;
  client: KeyPair;
  selfSigned: KeyPair;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-pki-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    openssl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=TokenDesk Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const issue = (name: string, subject: string, extensions: string) => {
      fs.writeFileSync(file(`${name}.ext`), extensions);
      openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
    };
    issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    issue('client', '/CN=machine-client', 'extendedKeyUsage=clientAuth\n');
    openssl('req', '-x509', ...EC, '-keyout', 'self.key', '-out', 'self.crt', '-days', '1', '-subj', '/CN=self-signed-client');
    const read = (name: string): KeyPair => ({ cert: fs.readFileSync(file(`${name}.crt`), 'utf8'), key: fs.readFileSync(file(`${name}.key`), 'utf8') });
    return { ca: read('ca'), server: read('server'), client: read('client'), selfSigned: read('self') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
