import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Real peers for the http probe's tests: plain and TLS servers on 127.0.0.1, and certificates
 * made at test time with the openssl CLI (Debian's `openssl` package), so nothing secret or
 * expiring is committed.
 */

const run = promisify(execFile);

// One config for every openssl call below: `openssl ca` needs a database, the others only the
// extension sections. Written beside the keys so the CA's files stay in the temp folder.
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
[ca]
default_ca = test_ca
[test_ca]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
`;

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCerts {
  /** PEM file of the test CA, for the probe's `tls.caFile`. */
  caFile: string;
  /** CN=localhost, SAN DNS:localhost only (no IP), signed by the CA, valid `days` days. */
  leaf: KeyPair;
  /** The same name, signed by the CA, valid only in January 2020. */
  expired: KeyPair;
  /** CN=localhost, signed by its own key, valid `days` days. */
  selfSigned: KeyPair;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes the test certificates in `dir` (an empty temp folder). */
export async function makeCerts(dir: string, days: number): Promise<TestCerts> {
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir, timeout: 30_000 });
  await writeFile(join(dir, 'openssl.cnf'), OPENSSL_CONFIG);
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  const cnf = ['-config', 'openssl.cnf'];
  await openssl(
    ['req', '-x509', ...cnf, ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem'].concat([
      '-days',
      '3650',
      '-subj',
      '/CN=Branchwatch test CA',
      '-extensions',
      'ca_ext',
    ]),
  );
  await openssl(
    ['req', '-new', ...cnf, ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr'].concat([
      '-subj',
      '/CN=localhost',
    ]),
  );
  await openssl(
    ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key']
      .concat(['-set_serial', '2', '-days', String(days), '-out', 'leaf.pem'])
      .concat(['-extfile', 'openssl.cnf', '-extensions', 'leaf_ext']),
  );
  // `x509 -days` cannot date a certificate in the past; `openssl ca` takes explicit dates.
  await openssl(
    ['ca', '-batch', ...cnf, '-cert', 'ca.pem', '-keyfile', 'ca.key', '-notext']
      .concat(['-in', 'leaf.csr', '-out', 'expired.pem', '-extensions', 'leaf_ext'])
      .concat(['-startdate', '20200101000000Z', '-enddate', '20200201000000Z']),
  );
  await openssl(
    ['req', '-x509', ...cnf, ...EC_KEY, '-keyout', 'self.key', '-out', 'self.pem'].concat([
      '-days',
      String(days),
      '-subj',
      '/CN=localhost',
      '-extensions',
      'leaf_ext',
    ]),
  );
  const pem = (name: string) => readFile(join(dir, name), 'utf8');
  return {
    caFile: join(dir, 'ca.pem'),
    leaf: { key: await pem('leaf.key'), cert: await pem('leaf.pem') },
    expired: { key: await pem('leaf.key'), cert: await pem('expired.pem') },
    selfSigned: { key: await pem('self.key'), cert: await pem('self.pem') },
  };
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface Peer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  base: string;
  port: number;
  /** Requests the server has seen, in order. */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1, or an HTTPS one when `tls` is given. */
export async function startPeer(handler: Handler, tls?: KeyPair): Promise<Peer> {
  const requests: IncomingMessage[] = [];
  const handle: Handler = (request, response) => {
    requests.push(request);
    handler(request, response);
  };
  const server: Server = tls ? createHttpsServer(tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    base: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago: listen, note it, close. */
export async function closedPort(): Promise<number> {
  const peer = await startPeer(() => {});
  await peer.close();
  return peer.port;
}
