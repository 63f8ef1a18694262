import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real malware scanner for tests: Debian's clamd (package clamav-daemon) on a loopback port
 * chosen at run time, with a signature database of its own. freshclam cannot reach ClamAV's
 * mirrors here, and the test must not depend on them: the database holds one signature, for
 * the EICAR test file, which `eicarTestFile()` builds from parts (the repository holds no EICAR
 * file, so nothing in the checkout is ever flagged). Stopped by its own pid.
 */
export interface Clamd {
  /** `127.0.0.1:PORT`, as BW_CLAMD_SOCKET takes it. */
  address: string;
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/** Name of the signature clamd reports (with `.UNOFFICIAL`: the database is not ClamAV's). */
export const EICAR_SIGNATURE = 'Branchwatch.Test.EICAR';

/** The 68-byte EICAR anti-virus test file (eicar.org), assembled at run time. */
export function eicarTestFile(): Buffer {
  return Buffer.from(
    ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS', '-TEST-FILE!$H+H*'].join(''),
  );
}

const START_LIMIT_MS = 60_000;

export async function startClamd(binary = '/usr/sbin/clamd'): Promise<Clamd> {
  const dir = await mkdtemp(join(tmpdir(), 'bw-clamd-'));
  await mkdir(join(dir, 'db'));
  await mkdir(join(dir, 'tmp'));
  // An extended signature (.ndb): name, any file type, any offset, the bytes in hex.
  await writeFile(
    join(dir, 'db', 'branchwatch-test.ndb'),
    `${EICAR_SIGNATURE}:0:*:${eicarTestFile().toString('hex')}\n`,
  );
  const port = await freePort();
  await writeFile(
    join(dir, 'clamd.conf'),
    [
      'Foreground true',
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `DatabaseDirectory ${join(dir, 'db')}`,
      `TemporaryDirectory ${join(dir, 'tmp')}`,
      `PidFile ${join(dir, 'clamd.pid')}`,
      'LogSyslog false',
      'Bytecode false',
      'MaxThreads 2',
      'StreamMaxLength 20M',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-c', join(dir, 'clamd.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.once('error', (err) => (log += `cannot start clamd: ${err.message}\n`));
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
  while ((await ping(port)) !== 'PONG') {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`clamd did not answer PING on 127.0.0.1:${port}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { address: `127.0.0.1:${port}`, port, log: () => log, stop };
}

/** clamd's answer to `zPING`, or undefined when it does not answer (yet). */
function ping(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('zPING\0'));
    socket.on('data', (data: Buffer) => {
      answer += data.toString();
      if (answer.includes('\0')) socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer.includes('\0') ? answer.split('\0')[0] : undefined));
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
