import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './snmpd.js';

/**
 * Two real lldpd (Debian) that see each other over a veth pair between two network namespaces
 * made for the test. The local one is an AgentX subagent of a given snmpd: the
 * AgentX socket is a file, so snmpd itself stays in the test's own namespace on loopback,
 * and lldpRemTable (LLDP-MIB) shows the peer within about 30 s. The peer runs in its own UTS
 * namespace with its own host name, so its sysName is recognisable.
 */

export interface LldpPair {
  /** The local port (veth in namespace a) and the peer's port (veth in namespace b). */
  localPort: string;
  peerPort: string;
  peerName: string;
  peerDescr: string;
  stop(): Promise<void>;
}

const LLDPD = '/usr/sbin/lldpd';

function ip(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('ip', args, { timeout: 5000 }, (err, _out, stderr) =>
      err ? reject(new Error(`ip ${args.join(' ')}: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

export async function startLldpPair(
  agentxSocket: string,
  peerName = 'bw-lldp-peer',
): Promise<LldpPair> {
  const tag = randomBytes(3).toString('hex');
  const nsA = `bw-lldp-${tag}-a`;
  const nsB = `bw-lldp-${tag}-b`;
  // Interface names are at most 15 characters (IFNAMSIZ).
  const localPort = `bwl${tag}a`;
  const peerPort = `bwl${tag}b`;
  const peerDescr = `Branchwatch LLDP peer ${tag}`;
  const dir = await mkdtemp(join(tmpdir(), 'bw-lldpd-'));
  // lldpd starts paused and runs `lldpcli … resume` as its unprivileged user against the
  // control socket; in a folder only root may enter that fails and no LLDP frame is ever sent.
  await chmod(dir, 0o755);
  const children: { child: ChildProcess; exited: Promise<void> }[] = [];
  const start = (args: string[]) => {
    const child = spawn('ip', args, { stdio: 'ignore' });
    children.push({ child, exited: new Promise((resolve) => child.once('exit', () => resolve())) });
  };
  const stop = async () => {
    for (const c of children) await stopChild(c.child, c.exited);
    // Deleting a namespace deletes the veth end inside it, and with it the pair.
    await ip(['netns', 'del', nsA]).catch(() => {});
    await ip(['netns', 'del', nsB]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ip(['netns', 'add', nsA]);
    await ip(['netns', 'add', nsB]);
    await ip([
      'link',
      'add',
      localPort,
      'netns',
      nsA,
      'type',
      'veth',
      'peer',
      'name',
      peerPort,
      'netns',
      nsB,
    ]);
    await ip(['-n', nsA, 'link', 'set', localPort, 'up']);
    await ip(['-n', nsB, 'link', 'set', peerPort, 'up']);
    // `ip netns exec` execs lldpd in place, so the child's pid is lldpd's (foreground, -d).
    start([
      'netns',
      'exec',
      nsA,
      LLDPD,
      '-d',
      '-x',
      '-X',
      agentxSocket,
      '-u',
      join(dir, 'a.ctl'),
      '-O',
      '/dev/null',
      '-I',
      localPort,
    ]);
    start([
      'netns',
      'exec',
      nsB,
      'unshare',
      '--uts',
      'sh',
      '-c',
      `hostname ${peerName} && exec ${LLDPD} -d -u ${join(dir, 'b.ctl')} -O /dev/null -I ${peerPort} -S '${peerDescr}'`,
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { localPort, peerPort, peerName, peerDescr, stop };
}
