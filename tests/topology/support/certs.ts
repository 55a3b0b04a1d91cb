import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { giveToServerUser } from './server-user';

const execFileAsync = promisify(execFile);

export interface Certificates {
  dir: string;
  /** The CA that signed the server certificate: what clients pass as sslrootcert / ssl.ca. */
  caCert: string;
  caKey: string;
  /** Server certificate for IP:127.0.0.1 and DNS:localhost, and its key (0600, server user's). */
  serverCert: string;
  serverKey: string;
  /** A second, unrelated CA: a client trusting only this one must reject the server. */
  otherCaCert: string;
  otherCaKey: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd: dir });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr || String(err)}`);
  }
}

// P-256 keys: generated in milliseconds (RSA takes noticeably longer) and accepted by the OpenSSL
// builds of PostgreSQL, PgBouncer and Node alike.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function selfSignedCa(dir: string, name: string, subject: string): Promise<[string, string]> {
  const [cert, key] = [path.join(dir, `${name}.crt`), path.join(dir, `${name}.key`)];
  // prettier-ignore
  await openssl(dir, [
    'req', '-x509', ...NEW_KEY, '-keyout', key, '-out', cert, '-days', '2', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return [cert, key];
}

/**
 * Writes two CAs and a server certificate into dir (which must exist, e.g. from makeServerTempDir).
 * Key files end up 0600 and, as root, owned by the server user: PostgreSQL refuses a key readable by
 * others, and PostgreSQL and PgBouncer run as that user.
 */
export async function generateCertificates(dir: string): Promise<Certificates> {
  const [caCert, caKey] = await selfSignedCa(dir, 'ca', '/CN=topology test CA');
  const [otherCaCert, otherCaKey] = await selfSignedCa(dir, 'other-ca', '/CN=unrelated test CA');

  const serverKey = path.join(dir, 'server.key');
  const serverCert = path.join(dir, 'server.crt');
  const csr = path.join(dir, 'server.csr');
  const ext = path.join(dir, 'server.ext');
  await openssl(dir, [
    'req',
    '-new',
    ...NEW_KEY,
    '-keyout',
    serverKey,
    '-out',
    csr,
    '-subj',
    '/CN=localhost',
  ]);
  // Hostname checks use the subjectAltName only (the CN is ignored by Node and PgBouncer's verify-full).
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'),
  );
  // An explicit serial avoids the ca.srl file -CAcreateserial would leave next to the CA.
  const serial = `0x${Date.now().toString(16)}`;
  // prettier-ignore
  await openssl(dir, [
    'x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', serial,
    '-days', '2', '-extfile', ext, '-out', serverCert,
  ]);

  for (const key of [caKey, otherCaKey, serverKey]) chmodSync(key, 0o600);
  for (const cert of [caCert, otherCaCert, serverCert]) chmodSync(cert, 0o644);
  giveToServerUser(caCert, caKey, otherCaCert, otherCaKey, serverCert, serverKey, csr, ext);
  return { dir, caCert, caKey, serverCert, serverKey, otherCaCert, otherCaKey };
}
