import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Net-SNMP agent (Debian's /usr/sbin/snmpd) for tests, on a loopback UDP port chosen at
 * run time. Everything it writes stays in a temporary folder: its config, its persistent
 * folder (engine boots, localised v3 keys), its pid file and its log. Stopped by its own pid.
 */

export interface SnmpdUser {
  name: string;
  /** snmpd's names: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512. */
  authProtocol: string;
  authKey: string;
  /** DES or AES; omit for authNoPriv. */
  privProtocol?: string;
  privKey?: string;
}

export interface SnmpdOptions {
  community?: string;
  users?: SnmpdUser[];
  sysName?: string;
  sysDescr?: string;
  /** Be an AgentX master (RFC 2741) on a Unix socket in the folder, for subagents like lldpd. */
  agentx?: boolean;
  /** Any further snmpd.conf lines. */
  extraLines?: string[];
  /** Listen on this port (to restart an agent in place); default: a free one. */
  port?: number;
}

export interface Snmpd {
  host: string;
  port: number;
  dir: string;
  pid: number;
  /** The AgentX socket, when `agentx` was asked for. */
  agentxSocket?: string;
  community: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

const SNMPD = '/usr/sbin/snmpd';

/** A UDP port that was free a moment ago on `host`. */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startSnmpd(options: SnmpdOptions = {}): Promise<Snmpd> {
  const host = '127.0.0.1';
  const dir = await mkdtemp(join(tmpdir(), 'bw-snmpd-'));
  const persist = join(dir, 'persist');
  await mkdir(persist);
  const community = options.community ?? 'public';
  const agentxSocket = options.agentx ? join(dir, 'agentx.sock') : undefined;
  const conf = join(dir, 'snmpd.conf');
  const port = options.port ?? (await freeUdpPort(host));
  const lines = [
    // -C skips the system's snmp.conf, so these come here: no MIB parsing (only noise in the
    // log), and the persistent state in our folder rather than /var/lib/snmp.
    '[snmp] mibs :',
    `[snmp] persistentDir ${persist}`,
    // The listening address goes in the config file only, not also on the command line, where
    // it would override the file's agentaddress.
    `agentaddress udp:${host}:${port}`,
    `rocommunity ${community} ${host}`,
    ...(options.users ?? []).flatMap((u) => [
      `createUser ${u.name} ${u.authProtocol} ${u.authKey}${u.privProtocol ? ` ${u.privProtocol} ${u.privKey}` : ''}`,
      `rouser ${u.name} ${u.privProtocol ? 'priv' : 'auth'}`,
    ]),
    `sysName ${options.sysName ?? 'bw-test-agent'}`,
    `sysDescr ${options.sysDescr ?? 'Branchwatch test snmpd'}`,
    ...(agentxSocket ? ['master agentx', `agentXSocket ${agentxSocket}`] : []),
    ...(options.extraLines ?? []),
  ];
  await writeFile(conf, `${lines.join('\n')}\n`);
  const logFile = join(dir, 'snmpd.log');
  const child = spawn(
    SNMPD,
    ['-f', '-C', '-c', conf, '-p', join(dir, 'snmpd.pid'), '-Lf', logFile],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const snmpd: Snmpd = {
    host,
    port,
    dir,
    pid: child.pid ?? -1,
    community,
    ...(agentxSocket ? { agentxSocket } : {}),
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    stop: async () => {
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilAnswering(snmpd, child);
  } catch (err) {
    const log = await snmpd.log();
    await snmpd.stop();
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
  }
  return snmpd;
}

/** Polls sysUpTime with Net-SNMP's snmpget, 50 tries 100 ms apart at most. */
async function waitUntilAnswering(snmpd: Snmpd, child: ChildProcess): Promise<void> {
  const target = `${snmpd.host}:${snmpd.port}`;
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) =>
      execFile(
        'snmpget',
        ['-v2c', '-c', snmpd.community, '-t', '0.2', '-r', '0', target, '1.3.6.1.2.1.1.3.0'],
        (err, stdout) => resolve(!err && stdout.includes('Timeticks')),
      ),
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('snmpd did not answer within 50 tries');
}

/** SIGTERM by pid, SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
