import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real DNS server for tests: Debian's dnsmasq (package dnsmasq-base), authoritative for the
 * records it is given and nothing else, on a loopback port chosen at run time. Its pid file
 * stays in a temporary folder; it is stopped by its own pid.
 *
 * It never forwards: `--no-resolv` and no `server=` lines leave it without upstream servers, so
 * a name under a `--local=/domain/` is NXDOMAIN and any other unknown name is REFUSED, both
 * answered at once on loopback.
 */

export interface Dnsmasq {
  host: string;
  port: number;
  /** `127.0.0.1:PORT`, as a resolver's server option takes it. */
  server: string;
  pid: number;
  /** What dnsmasq wrote to stderr (its log, with `--log-queries` each query). */
  log(): string;
  stop(): Promise<void>;
}

export interface DnsmasqOptions {
  /** dnsmasq options giving the records, e.g. `--address=/example.test/192.0.2.10`. */
  records: string[];
  /** Log every query to `log()`. */
  logQueries?: boolean;
  binary?: string;
}

const START_LIMIT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

export async function startDnsmasq(options: DnsmasqOptions): Promise<Dnsmasq> {
  const host = '127.0.0.1';
  const port = await freeUdpAndTcpPort(host);
  const dir = await mkdtemp(join(tmpdir(), 'bw-dnsmasq-'));
  const pidFile = join(dir, 'dnsmasq.pid');
  const args = [
    // Foreground without debug mode, so that it still writes its pid file (readiness below).
    '--keep-in-foreground',
    '--conf-file=/dev/null', // not the system's /etc/dnsmasq.conf
    `--port=${port}`,
    `--listen-address=${host}`,
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    `--pid-file=${pidFile}`,
    '--log-facility=-',
    // Stay the user we are (dnsmasq would switch to nobody, who cannot write the folder).
    `--user=${userInfo().username}`,
    ...(options.logQueries ? ['--log-queries'] : []),
    ...options.records,
  ];
  const child = spawn(options.binary ?? '/usr/sbin/dnsmasq', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.once('error', (err) => (log += `cannot start dnsmasq: ${err.message}\n`));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
    }
    await rm(dir, { recursive: true, force: true });
  };

  // Ready once the pid file names our child: dnsmasq writes it after binding its sockets.
  const deadline = Date.now() + START_LIMIT_MS;
  for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const written = await readFile(pidFile, 'utf8').catch(() => '');
    if (written.trim() === String(child.pid)) {
      return { host, port, server: `${host}:${port}`, pid: child.pid!, log: () => log, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await stop();
  throw new Error(`dnsmasq did not start on ${host}:${port}:\n${log}`);
}

/** A port free for both UDP and TCP (dnsmasq binds both) a moment ago. */
export async function freeUdpAndTcpPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve());
    });
    const { port } = udp.address();
    const tcp = createServer();
    const tcpFree = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (tcpFree) await new Promise((resolve) => tcp.close(resolve));
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) return port;
  }
  throw new Error('no port free for both UDP and TCP after 20 tries');
}
