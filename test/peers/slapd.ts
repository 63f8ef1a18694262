import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCertificates, type TestCertificates } from '../support/tls.js';

/**
 * A real LDAP directory for tests: Debian's slapd (package slapd) with its own config, data
 * and TLS certificate in a temp folder, on two loopback ports chosen at run time — `ldap://`
 * (plain, and StartTLS) and `ldaps://`. The memberof overlay keeps `memberOf` on people as
 * Active Directory does; the directory starts empty and the test adds its people and groups
 * online as the root DN (so that the overlay sees them). Stopped by its own pid.
 */
export interface Slapd {
  /** `ldap://127.0.0.1:PORT` (StartTLS offered). */
  url: string;
  /** `ldaps://127.0.0.1:PORT`. */
  ldapsUrl: string;
  suffix: string;
  rootDn: string;
  rootPassword: string;
  /** The CA that signed the server's certificate (for 127.0.0.1 and localhost), PEM. */
  certificates: TestCertificates;
  log(): string;
  stop(): Promise<void>;
}

const START_LIMIT_MS = 30_000;

export async function startSlapd(binary = '/usr/sbin/slapd'): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'bw-slapd-'));
  await mkdir(join(dir, 'data'));
  const certificates = makeTestCertificates(dir);
  const suffix = 'dc=example,dc=org';
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = 'slapd-root-secret';
  await writeFile(
    join(dir, 'slapd.conf'),
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'include /etc/ldap/schema/nis.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload memberof',
      `pidfile ${join(dir, 'slapd.pid')}`,
      `TLSCACertificateFile ${certificates.caFile}`,
      `TLSCertificateFile ${certificates.certFile}`,
      `TLSCertificateKeyFile ${certificates.keyFile}`,
      'database mdb',
      'maxsize 10485760',
      `suffix "${suffix}"`,
      `rootdn "${rootDn}"`,
      `rootpw ${rootPassword}`,
      `directory ${join(dir, 'data')}`,
      'overlay memberof',
      // As a directory is run: a password is only for binding with; signed-in entries read.
      'access to attrs=userPassword by self write by anonymous auth by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );
  const [port, tlsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  // -d keeps slapd in the foreground, a child of the test (level 0: errors only).
  const child = spawn(
    binary,
    ['-f', join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.once('error', (err) => (log += `cannot start slapd: ${err.message}\n`));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_LIMIT_MS;
  while (!(await accepts(port)) || !(await accepts(tlsPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`slapd did not listen on 127.0.0.1:${port}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    ldapsUrl,
    suffix,
    rootDn,
    rootPassword,
    certificates,
    log: () => log,
    stop,
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
