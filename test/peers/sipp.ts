import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeUdpTcpPort, stopChild, waitListening } from './kamailio.js';

/**
 * SIPp (Debian package sip-tester) as a scripted UAS: answers every OPTIONS and REGISTER with one
 * fixed final response (by default 503 Service Unavailable), each request a call of its own.
 * The scenario XML is written by the test into a temporary folder; stopped by its own pid.
 */

export interface SippOptions {
  transport?: 'udp' | 'tcp';
  code?: number;
  phrase?: string;
}

export interface Sipp {
  host: string;
  port: number;
  pid: number;
  log(): Promise<string>;
  stop(): Promise<void>;
}

function scenario(code: number, phrase: string): string {
  // The To tag makes it a proper final response (RFC 3261 §8.2.6.2); Retry-After is what a PBX
  // in maintenance says (RFC 3261 §21.5.4).
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="answer ${code}">
  <recv request="OPTIONS|REGISTER" regexp_match="true" />
  <send>
    <![CDATA[
SIP/2.0 ${code} ${phrase}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Retry-After: 60
Server: sipp-uas
Content-Length: 0

    ]]>
  </send>
</scenario>
`;
}

export async function startSipp(options: SippOptions = {}): Promise<Sipp> {
  const host = '127.0.0.1';
  const transport = options.transport ?? 'udp';
  const dir = await mkdtemp(join(tmpdir(), 'bw-sipp-'));
  const file = join(dir, 'uas.xml');
  const logFile = join(dir, 'sipp.log');
  await writeFile(file, scenario(options.code ?? 503, options.phrase ?? 'Service Unavailable'));
  const port = await freeUdpTcpPort(host);
  const out = openSync(logFile, 'a');
  const args = [
    '-sf',
    file,
    '-i',
    host,
    '-p',
    String(port),
    '-t',
    transport === 'udp' ? 'u1' : 't1',
  ];
  // -nostdin: no keyboard control; -nd: no default behaviours (no automatic answers of its own).
  args.push('-nostdin', '-nd', '-max_socket', '64');
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitListening(transport, port, child);
  } catch (err) {
    await stopChild(child, exited);
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`sipp did not start: ${String(err)}\n${log.slice(-2000)}`, { cause: err });
  }
  return {
    host,
    port,
    pid: child.pid!,
    log: () => readFile(logFile, 'utf8'),
    stop: async () => {
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
